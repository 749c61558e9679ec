"""Catalog pages: who may open what, the unit registry's filters and tenancy, htmx
fragments, the import page and the interface language."""

from __future__ import annotations

import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sanbao.accounts.roles import Role
from sanbao.accounts.services import user_set_language
from sanbao.accounts.tests.factories import OrganisationFactory
from sanbao.catalog.importing import COLUMNS, MESSAGES
from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import ProductModelFactory, UnitFactory
from sanbao.catalog.tests.roles import BAD_ROW, EVERYONE, IMPORTERS, SEE_ANY_UNIT, VALID_ROW
from sanbao.catalog.tests.test_importing import csv_bytes
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix
from sanbao.testkit.queries import assert_list_queries_flat
from sanbao.testkit.responses import HTMX, error_code, html

OTHER_VALID_ROW = ["SBN000003", "PB20K", "2025-03-02", "hong_kong", "no", "", ""]

IMPORT_URL = "/catalog/import/"


def upload(rows, name="units.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def row_serials(response) -> list[str]:
    """Serials of the unit rows (``data-testid="unit-row"``) in the page, in order."""
    return re.findall(r'data-testid="unit-row" data-serial="([^"]*)"', html(response))


# The permission matrix ---------------------------------------------------------------


def _page(name, *needs, arg=None, query=""):
    """The URL of a catalog page, creating the fixtures it needs first."""

    def url(cast):
        for fixture in needs:
            getattr(cast, fixture)
        args = [arg(cast)] if arg else []
        return reverse(f"catalog:{name}", args=args) + query

    return url


def _unit_url(fixture):
    return _page("unit_detail", arg=lambda cast: getattr(cast, fixture).serial)


def _import_body(cast):
    _refers_to = (cast.pb10k, cast.agent_a)  # the model and agent the file names
    return {"file": upload([VALID_ROW]), "mode": "all_or_nothing"}


def _imported(response, cast):
    assert 'data-testid="import-report"' in html(response)
    assert 'data-created="1"' in html(response)
    assert Unit.objects.filter(serial="SBN000001").exists()


def _the_unit_is_shown(fixture):
    def on_ok(response, cast):
        serial = getattr(cast, fixture).serial
        assert f'data-testid="unit-serial">{serial}<' in html(response)

    return on_ok


def _unit_detail(owner):
    """The page of the unit sold through ``owner``: its users and the roles that see
    any unit open it, the others get a 404."""
    fixture = f"unit_of_{owner}"
    return Case(
        f"unit_detail_of_{owner}",
        "GET",
        _unit_url(fixture),
        EVERYONE,
        owner_org=owner,
        cross_org_roles=SEE_ANY_UNIT,
        on_ok=_the_unit_is_shown(fixture),
    )


def _only_the_visible_units_are_listed(response, cast):
    user = response.wsgi_request.user
    if user.role == Role.OUTLET_TECHNICIAN:
        expected = []  # outlets look units up one serial at a time
    elif user.is_platform:
        expected = ["SBA000001", "SBC000001"]
    else:
        expected = {"AG-A": ["SBA000001"], "EN-C": ["SBC000001"]}.get(user.organisation.code, [])
    assert row_serials(response) == expected


def _csv_template(response, cast):
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == ",".join(COLUMNS)


CASES = [
    Case("category_list", "GET", _page("category_list", "power_banks"), EVERYONE),
    Case("model_list", "GET", _page("model_list", "pb10k"), EVERYONE),
    Case("model_detail", "GET", _page("model_detail", arg=lambda c: c.pb10k.code), EVERYONE),
    Case(
        "model_replacement_check",
        "GET",
        _page(
            "model_replacement_check", "pb20k", arg=lambda c: c.pb10k.code, query="?candidate=PB20K"
        ),
        EVERYONE,
    ),
    # A list filters rather than refuses: every role may open it (outlets get the lookup box).
    Case(
        "unit_list",
        "GET",
        _page("unit_list", "unit_of_agent_a", "unit_of_enterprise_c"),
        EVERYONE,
        on_ok=_only_the_visible_units_are_listed,
    ),
    _unit_detail("agent_a"),
    _unit_detail("enterprise_c"),
    Case("unit_import_page", "GET", IMPORT_URL, IMPORTERS),
    Case(
        "unit_import_post",
        "POST",
        IMPORT_URL,
        IMPORTERS,
        body=_import_body,
        body_format="multipart",
        on_ok=_imported,
    ),
    # The template holds the header and two made-up rows, no registry data: any
    # logged-in user may download it.
    Case(
        "unit_import_template",
        "GET",
        "/catalog/import/template.csv",
        EVERYONE,
        on_ok=_csv_template,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_the_matrix_urls_are_the_catalog_routes():
    assert reverse("catalog:unit_import") == IMPORT_URL
    assert reverse("catalog:unit_import_template") == "/catalog/import/template.csv"


@pytest.mark.parametrize("who", ["agent_b_clerk", "enterprise_clerk"])
def test_another_organisations_unit_is_a_404_page_like_a_serial_that_does_not_exist(
    cast, who, unit_of_agent_a
):
    client = login_client_for(getattr(cast, who))
    theirs = client.get(reverse("catalog:unit_detail", args=[unit_of_agent_a.serial]))
    missing = client.get(reverse("catalog:unit_detail", args=["SBZ999999"]))
    assert theirs.status_code == missing.status_code == 404
    assert error_code(theirs) == error_code(missing) == "catalog.unit_not_found"
    # Nothing of the unit is shown (its serial is only in the requested URL).
    assert 'data-testid="unit-serial"' not in html(theirs)
    assert unit_of_agent_a.warranty_card_no not in html(theirs)


def test_the_import_page_refuses_an_agent_clerk_with_the_permission_code(agent_a_clerk):
    response = login_client_for(agent_a_clerk).get(IMPORT_URL)
    assert response.status_code == 403
    assert error_code(response) == "core.permission_denied"


# The unit registry -----------------------------------------------------------------


@pytest.fixture
def units(unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c, pb20k, agent_a):
    """The cast's three units, plus a Hong Kong unit and an unauthorised one of agent A."""
    hong_kong = UnitFactory(
        serial="SBA000002", model=pb20k, channel_org=agent_a, region="hong_kong"
    )
    grey = UnitFactory(
        serial="SBA000003",
        model=unit_of_agent_a.model,
        channel_org=agent_a,
        authorised_channel=False,
    )
    return [unit_of_agent_a, hong_kong, grey, unit_of_agent_b, unit_of_enterprise_c]


UNIT_FILTERS = [
    ("", ["SBA000001", "SBA000002", "SBA000003", "SBB000001", "SBC000001"]),
    ("?serial=SBA", ["SBA000001", "SBA000002", "SBA000003"]),
    ("?serial=sbb", ["SBB000001"]),
    ("?model=PB20K", ["SBA000002", "SBC000001"]),
    ("?region=hong_kong", ["SBA000002"]),
    ("?authorised=no", ["SBA000003"]),
    ("?authorised=yes&model=PB10K", ["SBA000001", "SBB000001"]),
    ("?channel_org=AG-B", ["SBB000001"]),
    ("?serial=SBA&region=mainland&authorised=yes", ["SBA000001"]),
    ("?serial=NOPE", []),
]


@pytest.mark.parametrize(("query", "expected"), UNIT_FILTERS)
def test_the_unit_list_filters_return_the_right_rows_for_platform_staff(
    platform_staff, units, query, expected
):
    response = login_client_for(platform_staff).get(reverse("catalog:unit_list") + query)
    assert response.status_code == 200
    assert row_serials(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_the_unit_list_pages_by_fifty_and_keeps_the_filters_on_the_next_page(
    platform_staff, pb10k, pb20k
):
    UnitFactory.create_batch(51, model=pb10k)
    UnitFactory(serial="SBX000001", model=pb20k)
    client = login_client_for(platform_staff)
    first = client.get(reverse("catalog:unit_list"), {"model": "PB10K"})
    assert len(row_serials(first)) == 50
    assert 'rel="next"' in html(first)
    second = client.get(reverse("catalog:unit_list"), {"model": "PB10K", "page": 2})
    assert len(row_serials(second)) == 1
    assert "SBX000001" not in row_serials(first) + row_serials(second)
    past_the_end = client.get(reverse("catalog:unit_list"), {"model": "PB10K", "page": 99})
    assert past_the_end.status_code == 200
    assert row_serials(past_the_end) == row_serials(second)


def test_an_agents_unit_list_contains_only_its_own_units(agent_a_clerk, units):
    response = login_client_for(agent_a_clerk).get(reverse("catalog:unit_list"))
    assert response.status_code == 200
    assert row_serials(response) == ["SBA000001", "SBA000002", "SBA000003"]
    assert "SBB000001" not in html(response)
    assert "SBC000001" not in html(response)


@pytest.mark.parametrize("query", ["?channel_org=AG-B", "?serial=SBB", "?serial=SBC"])
def test_an_agent_cannot_widen_its_unit_list_with_filters(agent_a_clerk, units, query):
    response = login_client_for(agent_a_clerk).get(reverse("catalog:unit_list") + query)
    assert response.status_code == 200
    assert "SBB000001" not in html(response)
    assert "SBC000001" not in html(response)


def test_an_enterprise_unit_list_contains_only_its_own_units(enterprise_clerk, units):
    response = login_client_for(enterprise_clerk).get(reverse("catalog:unit_list"))
    assert row_serials(response) == ["SBC000001"]
    assert "SBA000001" not in html(response)
    assert "SBB000001" not in html(response)


def test_the_outlet_technicians_unit_list_shows_the_lookup_box_and_no_rows(outlet_tech, units):
    response = login_client_for(outlet_tech).get(reverse("catalog:unit_list"))
    assert response.status_code == 200
    assert row_serials(response) == []
    assert 'data-testid="unit-lookup"' in html(response)
    assert 'data-testid="outlet-explanation"' in html(response)
    assert 'data-testid="unit-table"' not in html(response)
    for unit in units:
        assert unit.serial not in html(response)


def test_the_outlet_technician_opens_any_unit_by_its_exact_serial(outlet_tech, units):
    client = login_client_for(outlet_tech)
    for unit in units:
        response = client.get(reverse("catalog:unit_detail", args=[unit.serial]))
        assert response.status_code == 200, unit.serial
    prefix = client.get(reverse("catalog:unit_detail", args=["SBA"]))
    assert prefix.status_code == 404
    assert error_code(prefix) == "catalog.unit_not_found"


def lookup(client, serial):
    return client.get(reverse("catalog:unit_list"), {"lookup": serial})


# Who looks up which serial, and whether that unit is visible to them.
LOOKUPS = [
    ("agent_a_clerk", "SBA000001", True),
    ("enterprise_clerk", "SBC000001", True),
    ("platform_staff", "SBB000001", True),
    ("outlet_tech", "SBB000001", True),
    ("agent_a_clerk", "  SBA000002 ", True),
    ("agent_a_clerk", "SBB000001", False),
    ("agent_a_clerk", "SBC000001", False),
    ("enterprise_clerk", "SBA000001", False),
    ("agent_b_clerk", "SBA000001", False),
    ("platform_staff", "SBZ999999", False),  # no such unit
    ("outlet_tech", "SBA", False),  # a prefix is not a serial
]


@pytest.mark.parametrize(("who", "serial"), [(w, s) for w, s, visible in LOOKUPS if visible])
def test_the_lookup_box_redirects_to_a_visible_unit(cast, units, who, serial):
    response = lookup(login_client_for(getattr(cast, who)), serial)
    assert response.status_code == 302
    assert response.url == reverse("catalog:unit_detail", args=[serial.strip()])


@pytest.mark.parametrize(("who", "serial"), [(w, s) for w, s, visible in LOOKUPS if not visible])
def test_the_lookup_box_answers_404_for_a_unit_that_is_not_visible(cast, units, who, serial):
    response = lookup(login_client_for(getattr(cast, who)), serial)
    assert response.status_code == 404
    assert 'data-testid="unit-lookup-error"' in html(response)
    assert response.context["lookup_form"].has_error("lookup")


def test_another_agents_unit_is_looked_up_exactly_like_a_serial_that_does_not_exist(
    agent_a_clerk, units
):
    client = login_client_for(agent_a_clerk)
    theirs, missing = lookup(client, "SBB000001"), lookup(client, "SBZ999999")
    assert theirs.status_code == missing.status_code == 404
    assert row_serials(theirs) == row_serials(missing) == ["SBA000001", "SBA000002", "SBA000003"]


def test_a_unit_whose_serial_contains_slashes_is_reachable_from_the_lookup_box(
    platform_staff, pb10k
):
    UnitFactory(serial="SB/2025/0001", model=pb10k)
    client = login_client_for(platform_staff)
    response = lookup(client, "SB/2025/0001")
    assert response.status_code == 302
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert detail.context["unit"].serial == "SB/2025/0001"


def _units_with_their_own_model_category_and_agent(count, agent):
    for _ in range(count):
        UnitFactory(model=ProductModelFactory(), channel_org=OrganisationFactory())
    UnitFactory.create_batch(count, model=ProductModelFactory(), channel_org=agent)


@pytest.mark.parametrize("who", ["platform_staff", "agent_a_clerk"])
def test_the_unit_list_page_runs_a_fixed_number_of_queries_however_many_rows(cast, who, agent_a):
    client = login_client_for(getattr(cast, who))
    url = reverse("catalog:unit_list")
    queries = assert_list_queries_flat(
        lambda: client.get(url),
        lambda count: _units_with_their_own_model_category_and_agent(count, agent_a),
        ceiling=7,
    )
    assert queries >= 1


def test_the_model_list_page_runs_a_fixed_number_of_queries_however_many_rows(agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    assert_list_queries_flat(
        lambda: client.get(reverse("catalog:model_list")),
        ProductModelFactory.create_batch,
        ceiling=5,
    )


# htmx fragments ---------------------------------------------------------------------


def test_an_htmx_request_of_the_unit_list_gets_the_results_fragment_only(platform_staff, units):
    client = login_client_for(platform_staff)
    fragment = client.get(reverse("catalog:unit_list") + "?region=hong_kong", headers=HTMX)
    assert fragment.status_code == 200
    body = html(fragment)
    assert "<html" not in body
    assert 'data-testid="unit-filters"' not in body
    assert body.lstrip().startswith('<div id="unit-results"')
    assert row_serials(fragment) == ["SBA000002"]
    assert "HX-Request" in fragment["Vary"]
    page = client.get(reverse("catalog:unit_list") + "?region=hong_kong")
    assert "<html" in html(page)


def test_an_htmx_history_restore_gets_the_whole_page(platform_staff, units):
    client = login_client_for(platform_staff)
    response = client.get(
        reverse("catalog:unit_list"), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in html(response)


def test_an_htmx_request_of_the_model_list_gets_the_results_fragment_only(
    agent_a_clerk, pb10k, ad65
):
    response = login_client_for(agent_a_clerk).get(
        reverse("catalog:model_list") + "?category=adapter", headers=HTMX
    )
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert re.findall(r'data-testid="model-row" data-code="([^"]*)"', body) == ["AD65"]


def test_an_htmx_import_gets_the_report_fragment_only(platform_staff, pb10k, agent_a):
    response = login_client_for(platform_staff).post(
        IMPORT_URL, {"file": upload([VALID_ROW]), "mode": "all_or_nothing"}, headers=HTMX
    )
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert 'data-testid="import-form"' not in body
    assert 'data-testid="import-report"' in body


# Unit and model pages -----------------------------------------------------------------


@pytest.mark.clause("I.1")
def test_the_unit_page_marks_a_hong_kong_unit_out_of_scope(platform_staff, pb10k, agent_a):
    UnitFactory(serial="SBH000001", model=pb10k, channel_org=agent_a, region="hong_kong")
    response = login_client_for(platform_staff).get(
        reverse("catalog:unit_detail", args=["SBH000001"])
    )
    assert response.status_code == 200
    assert 'data-testid="unit-out-of-scope"' in html(response)
    assert 'data-region="hong_kong"' in html(response)
    assert response.context["in_scope"] is False


@pytest.mark.clause("I.1")
def test_the_unit_page_shows_no_out_of_scope_badge_for_a_mainland_unit(
    platform_staff, unit_of_agent_a
):
    response = login_client_for(platform_staff).get(
        reverse("catalog:unit_detail", args=[unit_of_agent_a.serial])
    )
    assert 'data-testid="unit-out-of-scope"' not in html(response)
    assert response.context["in_scope"] is True


def test_the_unit_page_shows_the_last_day_of_the_warranty(agent_a_clerk, unit_of_agent_a):
    # Sold 2025-06-01 with the category's 12 months: covered up to 2026-06-01
    # (the sale day does not count, PRC Civil Code art. 201).
    response = login_client_for(agent_a_clerk).get(
        reverse("catalog:unit_detail", args=[unit_of_agent_a.serial])
    )
    assert response.status_code == 200
    end = re.search(r'data-testid="unit-warranty-end">\s*([0-9-]+)', html(response))
    assert end is not None and end.group(1) == "2026-06-01"


def verdict(response) -> tuple[str, str] | None:
    found = re.search(r'data-ok="(true|false)" data-reason="([a-z_]+)"', html(response))
    return (found.group(1), found.group(2)) if found else None


def check_replacement(client, original, candidate):
    url = reverse("catalog:model_replacement_check", args=[original])
    return client.get(url, {"candidate": candidate})


@pytest.mark.clause("II.3")
def test_the_replacement_check_says_a_better_model_is_not_lower(agent_a_clerk, pb10k, pb20k):
    response = check_replacement(login_client_for(agent_a_clerk), "PB10K", "PB20K")
    assert response.status_code == 200
    assert verdict(response) == ("true", "not_lower")
    assert 'data-testid="replacement-shortfall"' not in html(response)
    assert "<html" not in html(response)


@pytest.mark.clause("II.3")
def test_the_replacement_check_refuses_a_lower_model_and_lists_its_shortfalls(
    agent_a_clerk, pb10k, pb5k
):
    response = check_replacement(login_client_for(agent_a_clerk), "PB10K", "PB5K")
    assert response.status_code == 200
    assert verdict(response) == ("false", "lower_spec")
    # capacity, rated output and ports are all lower on the 5000 mAh model
    assert html(response).count('data-testid="replacement-shortfall"') == 3


@pytest.mark.clause("II.3")
def test_the_replacement_check_refuses_a_model_of_another_category(agent_a_clerk, pb10k, ad65):
    response = check_replacement(login_client_for(agent_a_clerk), "PB10K", "AD65")
    assert verdict(response) == ("false", "other_category")


@pytest.mark.clause("II.3")
def test_the_model_page_answers_the_replacement_check_without_javascript(
    agent_a_clerk, pb10k, pb20k
):
    url = reverse("catalog:model_detail", args=["PB10K"])
    response = login_client_for(agent_a_clerk).get(url, {"candidate": "PB20K"})
    assert response.status_code == 200
    assert "<html" in html(response)
    assert verdict(response) == ("true", "not_lower")


def test_the_replacement_check_with_an_unknown_candidate_is_a_400(agent_a_clerk, pb10k):
    response = check_replacement(login_client_for(agent_a_clerk), "PB10K", "NOPE")
    assert response.status_code == 400
    assert 'data-testid="replacement-verdict"' in html(response)
    assert 'role="alert"' in html(response)
    assert verdict(response) is None


def test_a_model_page_of_an_unknown_code_is_a_404(agent_a_clerk, db):
    response = login_client_for(agent_a_clerk).get(reverse("catalog:model_detail", args=["NOPE"]))
    assert response.status_code == 404
    assert error_code(response) == "catalog.model_not_found"


# The import page ----------------------------------------------------------------------


def post_import(client, data, **extra):
    return client.post(IMPORT_URL, {"mode": "all_or_nothing", **extra, **data})


def import_a_file_with_a_bad_row(user, **extra):
    """``user`` imports a good row and a bad one (row 3: an unknown model)."""
    return post_import(login_client_for(user), {"file": upload([VALID_ROW, BAD_ROW])}, **extra)


def error_rows(response) -> list[tuple[int, str, str]]:
    return [
        (int(row), column, code)
        for row, column, code in re.findall(
            r'data-testid="import-error-row" data-row="(\d+)" data-column="([^"]*)" '
            r'data-code="([^"]*)"',
            html(response),
        )
    ]


def audit_events() -> int:
    return AuditEvent.objects.count()


def test_a_valid_file_imported_all_or_nothing_creates_the_units_and_one_audit_event(
    platform_staff, pb10k, pb20k, agent_a
):
    events = audit_events()
    response = post_import(
        login_client_for(platform_staff), {"file": upload([VALID_ROW, OTHER_VALID_ROW])}
    )
    assert response.status_code == 200
    assert 'data-testid="import-written"' in html(response)
    assert 'data-created="2"' in html(response)
    assert set(Unit.objects.values_list("serial", flat=True)) == {"SBN000001", "SBN000003"}
    assert audit_events() == events + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.target_type) == (platform_staff, "catalog.unit")
    assert event.data["created"] == 2


def test_a_file_with_one_bad_row_is_a_400_naming_the_row_and_column_and_writes_nothing(
    platform_staff, pb10k, agent_a
):
    events = audit_events()
    response = import_a_file_with_a_bad_row(platform_staff)
    assert response.status_code == 400
    body = html(response)
    assert 'data-testid="import-rejected"' in body
    assert 'data-written="false"' in body
    assert error_rows(response) == [(3, "model_code", "catalog.model_unknown")]
    assert 'data-testid="import-retry-valid-only"' in body
    assert not Unit.objects.exists()
    assert audit_events() == events


def test_valid_only_writes_the_good_rows_and_reports_the_bad_one(platform_staff, pb10k, agent_a):
    events = audit_events()
    response = import_a_file_with_a_bad_row(platform_staff, mode="valid_only")
    assert response.status_code == 200
    assert 'data-written="true"' in html(response)
    assert 'data-created="1"' in html(response)
    assert error_rows(response) == [(3, "model_code", "catalog.model_unknown")]
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SBN000001"]
    assert audit_events() == events + 1


def test_the_retry_button_under_a_rejected_report_imports_the_valid_rows(
    platform_staff, pb10k, agent_a
):
    response = import_a_file_with_a_bad_row(platform_staff, retry_valid_only="1")
    assert response.status_code == 200
    assert 'data-mode="valid_only"' in html(response)
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SBN000001"]


def test_reimporting_the_same_file_from_the_page_changes_nothing(platform_staff, pb10k, agent_a):
    client = login_client_for(platform_staff)
    post_import(client, {"file": upload([VALID_ROW])})
    events = audit_events()
    response = post_import(client, {"file": upload([VALID_ROW])})
    assert response.status_code == 200
    assert 'data-created="0"' in html(response)
    assert Unit.objects.count() == 1
    assert audit_events() == events


def _random_bytes() -> bytes:
    data = random.Random(20260101).randbytes(4096)
    return b"\x00" + data  # a NUL: no text file, whatever the encoding


UNREADABLE = [
    pytest.param("units.csv", _random_bytes(), id="random-bytes-csv"),
    pytest.param("units.xlsx", _random_bytes(), id="random-bytes-xlsx"),
    pytest.param("units.xlsx", b"PK\x03\x04 not really a zip", id="broken-xlsx"),
]


@pytest.mark.parametrize(("name", "data"), UNREADABLE)
def test_an_unreadable_file_is_a_400_with_a_message_on_the_file_field(
    platform_staff, pb10k, name, data
):
    events = audit_events()
    response = post_import(
        login_client_for(platform_staff), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    form = response.context["form"]
    with translation.override(platform_staff.language):
        expected = str(MESSAGES["catalog.file_unreadable"])
    assert form.errors["file"] == [expected]
    assert 'data-testid="import-form-errors"' in html(response)
    assert 'data-testid="import-report"' not in html(response)
    assert not Unit.objects.exists()
    assert audit_events() == events


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"", None, id="empty"),  # refused by the form field itself
        pytest.param(",".join(COLUMNS).encode() + b"\n", "catalog.file_empty", id="header-only"),
        pytest.param(b"serial,model_code\nSB1,PB10K\n", "catalog.columns_missing", id="columns"),
    ],
)
def test_an_empty_or_incomplete_file_is_a_400_with_a_message_on_the_file_field(
    platform_staff, pb10k, data, code
):
    response = post_import(
        login_client_for(platform_staff), {"file": SimpleUploadedFile("units.csv", data)}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("file")
    if code is not None:
        with translation.override(platform_staff.language):
            template = str(MESSAGES[code])
        assert form.errors["file"][0].startswith(template.split("%")[0])
    assert 'data-testid="import-form-errors"' in html(response)
    assert not Unit.objects.exists()


def test_an_import_without_a_file_is_a_400_on_the_file_field(platform_staff):
    response = post_import(login_client_for(platform_staff), {})
    assert response.status_code == 400
    assert response.context["form"].has_error("file")


def test_an_import_with_an_unknown_mode_is_a_400_and_writes_nothing(platform_staff, pb10k, agent_a):
    response = post_import(
        login_client_for(platform_staff), {"file": upload([VALID_ROW])}, mode="overwrite"
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("mode")
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    "who", ["agent_a_clerk", "enterprise_clerk", "outlet_tech", "cs_commissioner"]
)
def test_an_import_posted_by_a_wrong_role_is_a_403_and_writes_nothing(cast, who, pb10k, agent_a):
    client = login_client_for(getattr(cast, who))
    events = audit_events()
    response = post_import(client, {"file": upload([VALID_ROW])})
    assert response.status_code == 403
    assert error_code(response) == "core.permission_denied"
    assert not Unit.objects.exists()
    assert audit_events() == events


def test_the_import_page_links_the_csv_template_and_starts_all_or_nothing(platform_staff):
    response = login_client_for(platform_staff).get(IMPORT_URL)
    body = html(response)
    assert 'data-testid="import-template"' in body
    assert 'data-testid="import-empty"' in body
    checked = re.search(r'value="([a-z_]+)" checked data-testid="import-mode-', body)
    assert checked is not None and checked.group(1) == "all_or_nothing"


def test_the_csv_template_imports_once_its_models_and_agent_exist(platform_staff, power_banks):
    client = login_client_for(platform_staff)
    template = client.get(reverse("catalog:unit_import_template"))
    assert template.status_code == 200
    assert "attachment" in template["Content-Disposition"]
    for code in ("PB20K", "PB10K"):
        ProductModelFactory(code=code, category=power_banks)
    OrganisationFactory(code="AG-SZ01", kind="agent")
    file = SimpleUploadedFile("template.csv", template.content, content_type="text/csv")
    response = post_import(client, {"file": file})
    assert response.status_code == 200
    assert 'data-created="2"' in html(response)
    assert Unit.objects.count() == 2


def test_the_import_form_posts_with_the_csrf_token_of_the_page(platform_staff, pb10k, agent_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(platform_staff)
    page = html(client.get(IMPORT_URL))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    refused = post_import(client, {"file": upload([VALID_ROW])})
    assert refused.status_code == 403
    assert not Unit.objects.exists()
    accepted = post_import(client, {"file": upload([VALID_ROW]), "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200
    assert Unit.objects.filter(serial="SBN000001").exists()


# Language -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_follows_the_language_of_the_user(platform_staff, unit_of_agent_a, language):
    user_set_language(user=platform_staff, language=language)
    response = login_client_for(platform_staff).get(reverse("catalog:unit_list"))
    assert response.status_code == 200
    body = html(response)
    assert f'<html lang="{language}">' in body
    with translation.override(language):
        label = translation.gettext("Categories")
        category = unit_of_agent_a.model.category.name
    assert f">{label}</a>" in body  # the navigation
    assert category in body  # the catalog's own bilingual names


def test_the_chinese_navigation_label_comes_from_the_catalogue(platform_staff):
    with translation.override("zh-hans"):
        label = translation.gettext("Categories")
    assert label != "Categories"  # the catalogue translates it
    user_set_language(user=platform_staff, language="zh-hans")
    body = html(login_client_for(platform_staff).get(reverse("catalog:category_list")))
    assert f">{label}</a>" in body


def test_the_users_language_wins_over_the_browsers(platform_staff, db):
    user_set_language(user=platform_staff, language="en")
    client = login_client_for(platform_staff, language="zh-hans")
    assert '<html lang="en">' in html(client.get(reverse("catalog:model_list")))
