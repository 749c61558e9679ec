"""The pages that serve a batch's and a shipment's papers (``views/documents.py``),
to the right people only, with the registry's file names."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from sanbao.accounts.roles import PLATFORM_ROLES, RETURN_UNIT_ROLES
from sanbao.core.errors import NotFound
from sanbao.returns.views import documents as document_views
from sanbao.testkit.cast import anonymous_client, api_client_for, login_client_for
from sanbao.testkit.matrix import Case, check, is_login_redirect, matrix

# --- The views -----------------------------------------------------------------------

VIEWS = {
    "packing_list_pdf": "returns:packing_list_pdf",
    "repair_list_pdf": "returns:repair_list_pdf",
    "labels_pdf": "returns:labels_pdf",
    "anomaly_notice_pdf": "returns:anomaly_notice_pdf",
    "packing_list_xlsx": "returns:packing_list_xlsx",
}
PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def batch_of_agent_a_held(received_with_anomalies):
    return received_with_anomalies


def get(name, user, *args, **query):
    client = login_client_for(user) if user is not None else anonymous_client()
    return client.get(reverse(VIEWS.get(name, f"returns:{name}"), args=args), query)


@pytest.mark.parametrize(
    ("name", "content_type", "filename", "disposition"),
    [
        ("packing_list_pdf", PDF, "packing-list-{}.pdf", "inline"),
        ("repair_list_pdf", PDF, "repair-list-{}.pdf", "inline"),
        ("labels_pdf", PDF, "fault-labels-{}-60x40.pdf", "inline"),
        ("anomaly_notice_pdf", PDF, "anomaly-notice-{}.pdf", "inline"),
        ("packing_list_xlsx", XLSX, "packing-list-{}.xlsx", "attachment"),
    ],
)
def test_each_paper_is_served_to_the_return_unit_of_the_batch(
    batch_of_agent_a_held, agent_a_clerk, name, content_type, filename, disposition
):
    number = batch_of_agent_a_held.number
    response = get(name, agent_a_clerk, number.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'{disposition}; filename="{filename.format(number)}"'
    assert "no-store" in response["Cache-Control"]


def test_the_labels_view_prints_an_a4_sheet_on_request(labelled, platform_staff):
    response = get("labels_pdf", platform_staff, labelled.number, layout="a4")
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 2
    assert f"fault-labels-{labelled.number}-a4.pdf" in response["Content-Disposition"]


def test_the_labels_view_refuses_an_unknown_layout(labelled, platform_staff):
    response = get("labels_pdf", platform_staff, labelled.number, layout="a3")
    assert response.status_code == 400


def test_the_notice_of_a_batch_without_anomalies_is_a_conflict(batch_45, platform_staff):
    response = get("anomaly_notice_pdf", platform_staff, batch_45.number)
    assert response.status_code == 409


def test_an_unknown_batch_number_is_not_found(platform_staff):
    assert get("packing_list_pdf", platform_staff, "R0000-NOPE00").status_code == 404


def test_the_papers_ask_an_anonymous_visitor_to_log_in(batch_45):
    for name in VIEWS:
        assert is_login_redirect(get(name, None, batch_45.number))
    assert is_login_redirect(get("lines_template_xlsx", None))


# --- The permission matrix -----------------------------------------------------------

RETURNS_VIEW = set(PLATFORM_ROLES | RETURN_UNIT_ROLES)
RETURNS_CREATE = {"aftersales_staff", "aftersales_manager", *RETURN_UNIT_ROLES}


def _case(name: str, fixture: str, query: str = "") -> Case:
    return Case(
        name,
        "GET",
        lambda cast: reverse(VIEWS[name], args=[getattr(cast, fixture).number]) + query,
        allowed_roles=RETURNS_VIEW,
        owner_org="agent_a",
    )


def _lines_template_url(cast) -> str:
    return reverse("returns:lines_template_xlsx")


CASES = [
    _case("packing_list_pdf", "batch_of_agent_a"),
    _case("repair_list_pdf", "batch_of_agent_a"),
    _case("labels_pdf", "batch_of_agent_a", "?layout=a4"),
    _case("anomaly_notice_pdf", "batch_of_agent_a_held"),
    _case("packing_list_xlsx", "batch_of_agent_a"),
    Case("lines_template_xlsx", "GET", _lines_template_url, allowed_roles=RETURNS_CREATE),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_paper_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# --- The views -----------------------------------------------------------------------


def view_get(view, user, number):
    request = RequestFactory().get("/")
    request.user = user
    return view(request, number)


@pytest.mark.parametrize(
    ("view", "content_type", "filename", "disposition"),
    [
        ("delivery_list_pdf", "application/pdf", "delivery-list-{}.pdf", "inline"),
        (
            "delivery_list_xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "delivery-list-{}.xlsx",
            "attachment",
        ),
    ],
)
def test_the_delivery_list_is_served_to_its_return_unit(
    dealt_with, agent_a_clerk, view, content_type, filename, disposition
):
    _batch, shipment = dealt_with
    response = view_get(getattr(document_views, view), agent_a_clerk, shipment.number.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'{disposition}; filename="{filename.format(shipment.number)}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_another_return_unit_does_not_see_the_delivery_list(dealt_with, agent_b_clerk):
    _batch, shipment = dealt_with
    with pytest.raises(NotFound):
        view_get(document_views.delivery_list_pdf, agent_b_clerk, shipment.number)


def test_the_delivery_list_asks_an_anonymous_visitor_to_log_in(dealt_with):
    _batch, shipment = dealt_with
    for view in (document_views.delivery_list_pdf, document_views.delivery_list_xlsx):
        response = view_get(view, AnonymousUser(), shipment.number)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("name", "tail", "query"),
    [
        ("packing_list_pdf", "/packing-list.pdf", {}),
        ("packing_list_xlsx", "/packing-list.xlsx", {}),
        ("repair_list_pdf", "/repair-list.pdf", {}),
        ("labels_pdf", "/labels.pdf", {"layout": "a4"}),
        ("anomaly_notice_pdf", "/anomaly-notice.pdf", {}),
    ],
)
def test_the_page_and_the_api_name_a_batch_paper_the_same_way(
    batch_of_agent_a_held, agent_a_clerk, name, tail, query
):
    number = batch_of_agent_a_held.number
    page = get(name, agent_a_clerk, number, **query)
    api = api_client_for(agent_a_clerk).get(f"/api/v1/batches/{number}{tail}", query)
    assert (page.status_code, api.status_code) == (200, 200)
    filename = page["Content-Disposition"].split("; ", 1)[1]
    assert api["Content-Disposition"] == f"attachment; {filename}"
    assert api["Content-Type"] == page["Content-Type"]


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_the_page_and_the_api_name_a_delivery_list_the_same_way(
    dealt_with, agent_a_clerk, extension
):
    _batch, shipment = dealt_with
    tail = f"/shipments/{shipment.number}/delivery-list.{extension}"
    page = login_client_for(agent_a_clerk).get(f"/returns{tail}")
    api = api_client_for(agent_a_clerk).get(f"/api/v1{tail}")
    assert (page.status_code, api.status_code) == (200, 200)
    filename = f'filename="delivery-list-{shipment.number}.{extension}"'
    assert page["Content-Disposition"].endswith(filename)
    assert api["Content-Disposition"] == f"attachment; {filename}"
