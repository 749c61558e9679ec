"""The helpers every app's pages share: an action run with its domain error mapped
onto the form and the page, and a document answered as a download."""

from __future__ import annotations

import pytest
from django import forms

from sanbao.core.errors import Conflict, PermissionDenied, PolicyRefused
from sanbao.core.web import PDF, XLSX, attempt, download
from sanbao.documents.registry import File


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_valid_form_runs_the_action_and_keeps_its_result():
    form = NoteForm({"note": "ok"})
    done = attempt(lambda: form.cleaned_data["note"].upper(), form=form)
    assert (done.ok, done.result, done.status, done.error) == (True, "OK", 200, None)
    assert not form.errors


def test_an_invalid_form_is_refused_with_a_400_before_the_action_runs():
    ran = []
    form = NoteForm({})
    done = attempt(lambda: ran.append(1), form=form)
    assert (done.ok, done.status, done.error.code) == (False, 400, "core.validation_failed")
    assert ran == []
    assert "note" in form.errors and form.non_field_errors()


def test_a_refusal_naming_a_field_is_shown_by_that_field():
    form = NoteForm({"note": "x"})

    def refuse():
        raise PolicyRefused("Too short.", code="tests.too_short", fields={"note": ["Too short."]})

    done = attempt(refuse, form=form)
    assert (done.status, done.error.code) == (400, "tests.too_short")
    assert form.errors["note"] == ["Too short."]


def test_a_conflict_is_answered_on_the_page_with_its_409_and_message():
    form = NoteForm({"note": "x"})

    def conflict():
        raise Conflict(code="tests.moved")

    done = attempt(conflict, form=form)
    assert (done.status, done.error.code) == (409, "tests.moved")
    assert form.non_field_errors() == [done.error.message]


def test_without_a_form_the_refusal_is_returned_for_the_page_to_show():
    def refuse():
        raise PolicyRefused(code="tests.refused")

    done = attempt(refuse)
    assert (done.ok, done.status, done.error.code) == (False, 400, "tests.refused")


def test_a_wrong_role_goes_to_the_error_page_rather_than_the_form():
    def deny():
        raise PermissionDenied()

    with pytest.raises(PermissionDenied):
        attempt(deny, form=NoteForm({"note": "x"}))


def test_a_status_the_page_does_not_answer_itself_propagates():
    def conflict():
        raise Conflict()

    with pytest.raises(Conflict):
        attempt(conflict, refusals=(400,))


@pytest.mark.parametrize(
    ("media_type", "attachment", "disposition"),
    [(PDF, None, "inline"), (XLSX, None, "attachment"), (PDF, True, "attachment")],
)
def test_a_pdf_is_shown_and_anything_else_saved_unless_told(media_type, attachment, disposition):
    response = download(File(b"data", "paper-R1.pdf", media_type), attachment=attachment)
    assert response.content == b"data"
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"] == f'{disposition}; filename="paper-R1.pdf"'
