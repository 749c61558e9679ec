"""The platform's pages to enter a delivery and to import deliveries from the
shipping system's file: who may open and post them, the service's messages by the
field in the user's language with nothing written, "add a row", and the import's
all or nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanbao.accounts.roles import PERMISSIONS
from sanbao.core.models import AuditEvent
from sanbao.deliveries.importing import COLUMNS
from sanbao.deliveries.models import Delivery, DeliveryBox, DeliverySource
from sanbao.deliveries.tests.conftest import at
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, declared_url_names, form_post, matrix
from sanbao.testkit.responses import HTMX, error_code, field_errors, html

pytestmark = pytest.mark.django_db

MANAGE = PERMISSIONS["deliveries.manage"]
VIEW = PERMISSIONS["deliveries.view"]
NEW_URL = "/deliveries/new/"
IMPORT_URL = "/deliveries/import/"
TEMPLATE_URL = "/deliveries/import/template.csv"
HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "DN-1,AG-A,SF Express,SF1,2026-09-01 08:00,1,5000,PB10K,6",
    "DN-1,AG-A,SF Express,SF1,2026-09-01 08:00,2,3000,PB10K,4",
    "DN-2,AG-B,ZTO,ZT9,2026-09-01 09:00,1,,AD65,10",
]


def _form(**changes) -> dict:
    """The entry form as a browser posts it: two boxes, two products, the blank
    rows the page offers (a third box numbered 3, two product rows in box 1)."""
    data = {
        "agent_code": "AG-A",
        "note_no": "DN-0917",
        "carrier": "SF Express",
        "waybill_no": "SF1300000917",
        "shipped_at": "2026-09-01T08:00",
        "boxes-TOTAL_FORMS": "3",
        "boxes-INITIAL_FORMS": "0",
        "boxes-0-box_no": "1",
        "boxes-0-expected_weight_g": "5000",
        "boxes-1-box_no": "2",
        "boxes-1-expected_weight_g": "3000",
        "boxes-2-box_no": "3",
        "boxes-2-expected_weight_g": "",
        "items-TOTAL_FORMS": "4",
        "items-INITIAL_FORMS": "0",
        "items-0-model_code": "PB10K",
        "items-0-quantity": "6",
        "items-0-box_no": "1",
        "items-1-model_code": "PB10K",
        "items-1-quantity": "4",
        "items-1-box_no": "2",
        "items-2-model_code": "",
        "items-2-quantity": "",
        "items-2-box_no": "1",
        "items-3-model_code": "",
        "items-3-quantity": "",
        "items-3-box_no": "1",
        "save": "1",
    }
    return data | changes


def _csv(rows, name="deliveries.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *rows]).encode(), content_type="text/csv")


def _client(user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    return login_client_for(user, language=language)


# The permission matrix --------------------------------------------------------------------


def _entry_body(cast) -> dict:
    _refers_to = (cast.agent_a, cast.pb10k)
    return _form()


def _entered(response, cast):
    delivery = Delivery.objects.get()
    assert response.url == reverse("deliveries:delivery_detail", args=[delivery.number])
    assert delivery.source == DeliverySource.PLATFORM


def _import_body(cast) -> dict:
    _refers_to = (cast.agent_a, cast.agent_b, cast.pb10k, cast.ad65)
    return {"file": _csv(GOOD_ROWS)}


def _imported(response, cast):
    assert 'data-created="2"' in html(response)
    assert Delivery.objects.filter(source=DeliverySource.IMPORT).count() == 2


def _template(response, cast):
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == HEADER


def _links_for_those_who_may_enter(response, cast):
    shown = 'data-testid="delivery-new"' in html(response)
    assert shown == (response.wsgi_request.user.role in MANAGE)
    assert ('data-testid="delivery-import"' in html(response)) == shown


CASES = [
    Case("delivery_list", "GET", "/deliveries/", VIEW, on_ok=_links_for_those_who_may_enter),
    Case("delivery_create_page", "GET", NEW_URL, MANAGE),
    form_post("delivery_create", NEW_URL, MANAGE, body=_entry_body, on_ok=_entered),
    Case("delivery_import_page", "GET", IMPORT_URL, MANAGE),
    Case(
        "delivery_import",
        "POST",
        IMPORT_URL,
        MANAGE,
        body=_import_body,
        body_format="multipart",
        on_ok=_imported,
    ),
    Case("delivery_import_template", "GET", TEMPLATE_URL, MANAGE, on_ok=_template),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_entry_page_answers_each_member_of_the_cast_as_declared(clock, cast, row):
    check(cast, row)
    if row.expected != row.case.expect_ok:
        assert not Delivery.objects.exists()


def test_the_matrix_covers_the_entry_pages(cast):
    assert declared_url_names(CASES, cast) == {
        "delivery_list",
        "delivery_create",
        "delivery_import",
        "delivery_import_template",
    }


# Entering a delivery ----------------------------------------------------------------------


def test_a_delivery_entered_on_the_page_has_its_boxes_and_products_and_is_audited(
    clock, platform_staff, agent_a, pb10k
):
    client = _client(platform_staff)
    page = client.get(NEW_URL)
    assert page.status_code == 200
    assert 'type="datetime-local"' in html(page)
    assert '<option value="AG-A">' in html(page)
    assert '<option value="PB10K">' in html(page)

    done = client.post(NEW_URL, _form())
    assert done.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.agent == agent_a
    assert (delivery.note_no, delivery.carrier, delivery.waybill_no) == (
        "DN-0917",
        "SF Express",
        "SF1300000917",
    )
    assert delivery.shipped_at == at("2026-09-01 08:00")
    # The blank third box is no box; the products are in the boxes they name.
    assert list(delivery.boxes.values_list("box_no", "expected_weight_g")) == [
        (1, 5000),
        (2, 3000),
    ]
    assert sorted(delivery.items.values_list("box__box_no", "model__code", "quantity")) == [
        (1, "PB10K", 6),
        (2, "PB10K", 4),
    ]
    assert AuditEvent.objects.filter(action="delivery.created").count() == 1
    shown = client.get(done.url)
    assert "DN-0917" in html(shown)


def test_a_box_without_a_weight_that_a_product_names_is_a_box_of_unknown_weight(
    clock, platform_staff, agent_a, pb10k
):
    client = _client(platform_staff)
    done = client.post(
        NEW_URL,
        _form(
            **{
                "boxes-2-expected_weight_g": "",
                "items-2-model_code": "PB10K",
                "items-2-quantity": "1",
                "items-2-box_no": "3",
            }
        ),
    )
    assert done.status_code == 302
    box = DeliveryBox.objects.get(box_no=3)
    assert box.expected_weight_g is None
    assert box.items.get().quantity == 1


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ("Choose the agent or enterprise", "Enter a weight in grams", "whole number")),
        ("zh-hans", ("请选择收货的代理商或企业", "之间的重量（克）", "之间的整数")),
    ],
)
def test_the_services_messages_are_shown_by_the_field_in_the_users_language_and_nothing_is_written(
    clock, platform_staff, agent_a, pb10k, language, texts
):
    client = _client(platform_staff, language)
    refused = client.post(
        NEW_URL,
        _form(
            agent_code="",
            **{
                "boxes-1-expected_weight_g": "heavy",
                # The first product row left blank: the bad quantity is the service's
                # items.0, shown on the page's second row.
                "items-0-model_code": "",
                "items-0-quantity": "",
                "items-1-quantity": "0",
            },
        ),
    )
    assert refused.status_code == 400
    assert error_code(refused) == "deliveries.delivery_invalid"
    assert field_errors(refused) >= {
        "agent_code",
        "boxes.1.expected_weight_g",
        "items.0.quantity",
    }
    body = html(refused)
    for text in texts:
        assert text in body
    # The message sits by the row it is about, and that row's input is marked.
    assert re.search(r'class="[^"]*is-invalid[^"]*"[^>]*name="items-1-quantity"', body) or (
        re.search(r'name="items-1-quantity"[^>]*class="[^"]*is-invalid', body)
    )
    # What was typed is kept.
    assert 'value="heavy"' in body
    assert not Delivery.objects.exists()
    assert not DeliveryBox.objects.exists()
    assert not AuditEvent.objects.filter(action="delivery.created").exists()


def test_a_page_with_nothing_entered_asks_for_a_box_and_a_product(clock, platform_staff, agent_a):
    blank = {f"items-{i}-{name}": "" for i in range(4) for name in ("model_code", "quantity")} | {
        f"boxes-{i}-expected_weight_g": "" for i in range(3)
    }
    refused = _client(platform_staff).post(NEW_URL, _form(**blank))
    assert refused.status_code == 400
    assert {"boxes", "items"} <= field_errors(refused)
    assert not Delivery.objects.exists()


def test_a_product_in_a_box_the_delivery_does_not_have_is_refused_by_its_row(
    clock, platform_staff, agent_a, pb10k
):
    refused = _client(platform_staff).post(NEW_URL, _form(**{"items-1-box_no": "7"}))
    assert refused.status_code == 400
    assert "items.1.box_no" in field_errors(refused)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_add_a_row_offers_one_more_row_keeps_what_was_typed_and_writes_nothing(
    clock, platform_staff, agent_a, pb10k, headers
):
    client = _client(platform_staff)
    data = _form(add_item="1")
    del data["save"]
    more = client.post(NEW_URL, data, headers=headers)
    assert more.status_code == 200
    body = html(more)
    assert body.count('data-testid="item-row"') == 5
    assert 'name="items-4-box_no"' in body
    assert 'value="SF1300000917"' in body
    boxes = client.post(NEW_URL, _form(add_box="1") | {"save": ""}, headers=headers)
    assert html(boxes).count('data-testid="box-row"') == 4
    assert 'name="boxes-3-box_no" value="4"' in html(boxes) or re.search(
        r'value="4"[^>]*name="boxes-3-box_no"', html(boxes)
    )
    assert not Delivery.objects.exists()


def test_a_tampered_row_count_is_refused_by_the_service_not_a_server_error(
    clock, platform_staff, agent_a, pb10k
):
    refused = _client(platform_staff).post(
        NEW_URL, _form(**{"items-TOTAL_FORMS": "lots", "boxes-TOTAL_FORMS": "99999"})
    )
    assert refused.status_code == 400
    assert not Delivery.objects.exists()


# Importing deliveries ---------------------------------------------------------------------


@pytest.fixture
def import_world(clock, agent_a, agent_b, pb10k, ad65):
    clock.set("2026-09-01 12:00")


def test_an_imported_file_lists_the_deliveries_it_made_with_their_links(
    import_world, platform_staff
):
    done = _client(platform_staff).post(IMPORT_URL, {"file": _csv(GOOD_ROWS)})
    assert done.status_code == 200
    made = Delivery.objects.order_by("note_no")
    assert [d.note_no for d in made] == ["DN-1", "DN-2"]
    for delivery in made:
        assert reverse("deliveries:delivery_detail", args=[delivery.number]) in html(done)
    assert "2 deliveries created." in html(done)


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "nothing was imported"), ("zh-hans", "未导入任何内容")],
)
def test_a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row(
    import_world, platform_staff, language, text
):
    rows = [*GOOD_ROWS, "DN-3,AG-X,SF,1,2026-09-01 08:00,1,100,NOPE,0"]
    refused = _client(platform_staff, language).post(IMPORT_URL, {"file": _csv(rows)}, headers=HTMX)
    assert refused.status_code == 400
    body = html(refused)
    assert body.lstrip().startswith('<div id="import-result"')
    found = set(
        re.findall(r'data-testid="import-error-row" data-row="(\d+)" data-column="(\w+)"', body)
    )
    assert found == {("5", "agent"), ("5", "model_code"), ("5", "quantity")}
    assert text in body
    assert not Delivery.objects.exists()
    assert not DeliveryBox.objects.exists()


def test_an_import_without_a_file_or_with_missing_columns_is_refused_by_the_file(
    import_world, platform_staff
):
    client = _client(platform_staff)
    none = client.post(IMPORT_URL, {})
    assert none.status_code == 400
    assert "file" in field_errors(none)
    bare = SimpleUploadedFile("d.csv", b"delivery_note,agent\nDN-1,AG-A\n", content_type="text/csv")
    columns = client.post(IMPORT_URL, {"file": bare})
    assert columns.status_code == 400
    assert "shipped_at" in html(columns)
    assert not Delivery.objects.exists()


def test_the_template_is_read_by_the_importer(clock, platform_staff, agent_a, pb10k):
    """The template's header and rows are what the importer reads: with its agent
    and model present, it imports as one delivery of two boxes."""
    from sanbao.accounts.models import Organisation

    Organisation.objects.filter(pk=agent_a.pk).update(code="AG-SZ01")
    client = _client(platform_staff)
    template = client.get(TEMPLATE_URL)
    upload = SimpleUploadedFile("t.csv", template.content, content_type="text/csv")
    done = client.post(IMPORT_URL, {"file": upload})
    assert done.status_code == 200, html(done)
    delivery = Delivery.objects.get()
    assert delivery.boxes.count() == 2
