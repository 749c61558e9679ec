"""The catalog API: who may call what, tenant scoping of units, the import endpoint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sanbao.accounts.tests.factories import OrganisationFactory
from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import ProductModelFactory, UnitFactory
from sanbao.catalog.tests.roles import BAD_ROW, EVERYONE, IMPORTERS, SEE_ANY_UNIT, VALID_ROW
from sanbao.catalog.tests.test_importing import csv_bytes
from sanbao.core.models import AuditEvent
from sanbao.core.web import XLSX
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import (
    Case,
    assert_envelope,
    assert_every_operation_has_a_case,
    check,
    matrix,
)
from sanbao.testkit.queries import assert_list_queries_flat
from sanbao.testkit.responses import is_download


def upload(rows, name="units.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def _import_body(cast):
    _refers_to = (cast.pb10k, cast.agent_a)  # the model and agent the file names
    return {"file": upload([VALID_ROW])}


def _imported(response, cast):
    assert response.json()["created"] == 1
    assert Unit.objects.filter(serial="SBN000001").exists()


def _listed(response, cast):
    assert response.json()["count"] >= 0


CASES = [
    Case("list_categories", "GET", "/api/v1/categories", EVERYONE),
    Case("get_category", "GET", lambda c: f"/api/v1/categories/{c.power_banks.code}", EVERYONE),
    Case("list_product_models", "GET", "/api/v1/models?category=power-bank", EVERYONE),
    Case("get_product_model", "GET", lambda c: f"/api/v1/models/{c.pb10k.code}", EVERYONE),
    Case(
        "check_not_lower",
        "GET",
        lambda c: f"/api/v1/models/{c.pb10k.code}/not-lower/{c.pb20k.code}",
        EVERYONE,
    ),
    Case("list_units", "GET", "/api/v1/units", EVERYONE, on_ok=_listed),
    Case("export_units", "GET", "/api/v1/units/export.xlsx", EVERYONE, on_ok=is_download(XLSX)),
    Case(
        "get_unit_of_agent_a",
        "GET",
        lambda c: f"/api/v1/units/{c.unit_of_agent_a.serial}",
        EVERYONE,
        owner_org="agent_a",
        cross_org_roles=SEE_ANY_UNIT,
    ),
    Case(
        "get_unit_of_enterprise_c",
        "GET",
        lambda c: f"/api/v1/units/{c.unit_of_enterprise_c.serial}",
        EVERYONE,
        owner_org="enterprise_c",
        cross_org_roles=SEE_ANY_UNIT,
    ),
    Case(
        "import_units",
        "POST",
        "/api/v1/unit-imports",
        IMPORTERS,
        body=_import_body,
        body_format="multipart",
        on_ok=_imported,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_catalog_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["catalog"])


# Tenancy of units ------------------------------------------------------------------


@pytest.fixture
def units(unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c):
    return [unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c]


def listed_serials(client, query=""):
    body = client.get(f"/api/v1/units{query}").json()
    return [u["serial"] for u in body["items"]], body["count"]


def test_agent_cannot_see_another_agents_units_in_the_list(agent_a_clerk, units):
    assert listed_serials(api_client_for(agent_a_clerk)) == (["SBA000001"], 1)


def test_agent_cannot_widen_the_list_to_another_agents_units_with_filters(agent_a_clerk, units):
    client = api_client_for(agent_a_clerk)
    assert listed_serials(client, "?channel_org=AG-B") == ([], 0)
    assert listed_serials(client, "?serial=SBB") == ([], 0)


def test_agent_gets_404_for_another_agents_unit_by_serial(agent_a_clerk, units):
    response = api_client_for(agent_a_clerk).get("/api/v1/units/SBB000001")
    assert_envelope(response, 404, "catalog.unit_not_found")


def test_another_agents_unit_is_answered_exactly_like_a_serial_that_does_not_exist(
    agent_a_clerk, units
):
    client = api_client_for(agent_a_clerk, language="en")
    theirs = client.get("/api/v1/units/SBB000001")
    missing = client.get("/api/v1/units/SBZ999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_enterprise_sees_only_its_own_units(enterprise_clerk, units):
    client = api_client_for(enterprise_clerk)
    assert listed_serials(client) == (["SBC000001"], 1)
    assert client.get("/api/v1/units/SBC000001").status_code == 200
    assert client.get("/api/v1/units/SBA000001").status_code == 404


def test_outlet_technician_gets_a_unit_by_exact_serial_but_lists_none(outlet_tech, units):
    client = api_client_for(outlet_tech)
    assert listed_serials(client) == ([], 0)
    for unit in units:
        body = client.get(f"/api/v1/units/{unit.serial}").json()
        assert body["serial"] == unit.serial
    assert_envelope(client.get("/api/v1/units/SBA"), 404, "catalog.unit_not_found")


def test_platform_sees_all_units(platform_staff, units):
    client = api_client_for(platform_staff)
    assert listed_serials(client) == (["SBA000001", "SBB000001", "SBC000001"], 3)
    assert all(client.get(f"/api/v1/units/{u.serial}").status_code == 200 for u in units)


@pytest.mark.clause("I.1")
def test_a_unit_answers_its_model_category_channel_and_scope(platform_staff, pb20k, agent_b):
    UnitFactory(serial="SBH000001", model=pb20k, channel_org=agent_b, region="hong_kong")
    body = api_client_for(platform_staff).get("/api/v1/units/SBH000001").json()
    assert body == {
        "serial": "SBH000001",
        "model": "PB20K",
        "category": "power-bank",
        "authorised_channel": True,
        "channel_org": "AG-B",
        "sale_date": "2025-03-01",
        "region": "hong_kong",
        "in_scope": False,
        "warranty_card_no": "WC-SBH000001",
        "production_lot": "",
    }


def test_a_unit_whose_serial_contains_a_slash_can_be_fetched(platform_staff, pb10k):
    UnitFactory(serial="SB/2025/0001", model=pb10k)
    response = api_client_for(platform_staff).get("/api/v1/units/SB/2025/0001")
    assert response.status_code == 200


# Catalog ---------------------------------------------------------------------------


@pytest.mark.clause("II.3")
def test_not_lower_answers_the_verdict_and_the_shortfalls(agent_a_clerk, pb10k, pb5k, ad65):
    client = api_client_for(agent_a_clerk)
    lower = client.get("/api/v1/models/PB10K/not-lower/PB5K").json()
    assert (lower["ok"], lower["reason"]) == (False, "lower_spec")
    assert lower["shortfalls"] == ["capacity_mah", "rated_output_w", "port_count"]
    other = client.get("/api/v1/models/PB10K/not-lower/AD65").json()
    assert (other["ok"], other["reason"]) == (False, "other_category")
    same = client.get("/api/v1/models/pb10k/not-lower/PB10K").json()
    assert (same["ok"], same["reason"]) == (True, "same_model")


def test_not_lower_with_an_unknown_model_is_a_404(agent_a_clerk, pb10k):
    response = api_client_for(agent_a_clerk).get("/api/v1/models/PB10K/not-lower/NOPE")
    assert_envelope(response, 404, "catalog.model_not_found")


def test_an_unknown_category_is_a_404(agent_a_clerk, db):
    response = api_client_for(agent_a_clerk).get("/api/v1/categories/nope")
    assert_envelope(response, 404, "catalog.category_not_found")


def test_categories_carry_their_policy_settings(agent_a_clerk, power_banks):
    [body] = api_client_for(agent_a_clerk).get("/api/v1/categories").json()
    assert body["code"] == "power-bank"
    assert body["required_accessories"] == ["data cable"]
    assert (body["warranty_months"], body["return_window_days"]) == (12, 7)


# The import endpoint ----------------------------------------------------------------


def post_import(client, rows, **extra):
    return client.post("/api/v1/unit-imports", data={"file": upload(rows), **extra})


def test_import_of_a_valid_file_answers_200_with_the_report(platform_staff, pb10k, agent_a):
    response = post_import(api_client_for(platform_staff), [VALID_ROW])
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["written"], body["errors"]) == (1, True, [])
    assert body["filename"] == "units.csv"


def test_import_with_a_bad_row_answers_400_with_the_per_row_report_and_writes_nothing(
    platform_staff, pb10k, agent_a
):
    client = api_client_for(platform_staff)
    events = AuditEvent.objects.count()
    response = post_import(client, [VALID_ROW, BAD_ROW])
    body = assert_envelope(response, 400, "catalog.import_rejected")
    assert body["params"] == {"bad_rows": "1"}
    assert "file" in body["fields"]
    report = body["report"]
    assert (report["written"], report["total_rows"], report["bad_rows"]) == (False, 2, 1)
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "model_code", "catalog.model_unknown")
    ]
    assert not Unit.objects.exists()
    assert AuditEvent.objects.count() == events


def test_import_valid_only_answers_200_and_writes_the_good_rows(platform_staff, pb10k, agent_a):
    response = post_import(api_client_for(platform_staff), [VALID_ROW, BAD_ROW], mode="valid_only")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["bad_rows"], body["written"]) == (1, 1, True)
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SBN000001"]


def test_import_without_a_file_is_a_422(platform_staff):
    response = api_client_for(platform_staff).post("/api/v1/unit-imports", data={})
    body = assert_envelope(response, 422, "core.request_invalid")
    assert any(name.split(".")[0] == "file" for name in body["fields"])
    assert not Unit.objects.exists()


def test_import_without_a_file_names_the_file_field(platform_staff):
    response = api_client_for(platform_staff).post("/api/v1/unit-imports", data={})
    assert list(assert_envelope(response, 422)["fields"]) == ["file"]


def test_import_with_an_unknown_mode_is_a_422(platform_staff, pb10k, agent_a):
    response = post_import(api_client_for(platform_staff), [VALID_ROW], mode="overwrite")
    assert_envelope(response, 422, "core.request_invalid")
    assert not Unit.objects.exists()


def test_import_of_a_file_missing_columns_is_a_400_with_its_code(platform_staff):
    client = api_client_for(platform_staff)
    data = {"file": SimpleUploadedFile("u.csv", b"serial,model_code\nSB1,PB10K\n")}
    response = client.post("/api/v1/unit-imports", data=data)
    body = assert_envelope(response, 400, "catalog.columns_missing")
    assert "file" in body["fields"]


def test_import_by_an_agent_clerk_is_a_403_and_writes_nothing(agent_a_clerk, pb10k):
    response = post_import(api_client_for(agent_a_clerk), [VALID_ROW])
    assert_envelope(response, 403, "core.permission_denied")
    assert not Unit.objects.exists()


def test_import_row_messages_follow_the_request_language_and_codes_do_not(
    platform_staff, pb10k, agent_a
):
    english = post_import(api_client_for(platform_staff, language="en"), [BAD_ROW]).json()
    chinese = post_import(api_client_for(platform_staff, language="zh-hans"), [BAD_ROW]).json()
    assert english["code"] == chinese["code"] == "catalog.import_rejected"
    en_error, zh_error = english["report"]["errors"][0], chinese["report"]["errors"][0]
    assert en_error["code"] == zh_error["code"] == "catalog.model_unknown"
    source = "No product model has the code “%(value)s”."
    with translation.override("zh-hans"):
        expected = translation.gettext(source) % {"value": "PB99K"}
    assert zh_error["message"] == expected


def test_reimporting_the_same_file_through_the_api_creates_nothing_new(
    platform_staff, pb10k, agent_a
):
    client = api_client_for(platform_staff)
    post_import(client, [VALID_ROW])
    events = AuditEvent.objects.filter(action="unit.imported").count()
    body = post_import(client, [VALID_ROW]).json()
    assert (body["created"], body["unchanged"]) == (0, 1)
    assert Unit.objects.count() == 1
    assert AuditEvent.objects.filter(action="unit.imported").count() == events


# Query counts -------------------------------------------------------------------------


def _units_with_their_own_model_category_and_agent(count):
    for _ in range(count):
        UnitFactory(model=ProductModelFactory(), channel_org=OrganisationFactory())


@pytest.mark.parametrize("who", ["platform_staff", "agent_a_clerk"])
def test_the_unit_list_runs_a_fixed_number_of_queries_however_many_rows(cast, who, agent_a):
    client = api_client_for(getattr(cast, who))

    def add(count):
        _units_with_their_own_model_category_and_agent(count)
        UnitFactory.create_batch(count, model=ProductModelFactory(), channel_org=agent_a)

    assert_list_queries_flat(lambda: client.get("/api/v1/units"), add, ceiling=3)


def test_the_model_list_runs_a_fixed_number_of_queries_however_many_rows(agent_a_clerk):
    client = api_client_for(agent_a_clerk)
    assert_list_queries_flat(
        lambda: client.get("/api/v1/models"), ProductModelFactory.create_batch, ceiling=2
    )


def test_the_category_list_runs_a_fixed_number_of_queries_however_many_rows(agent_a_clerk):
    from sanbao.catalog.tests.factories import CategoryFactory

    client = api_client_for(agent_a_clerk)
    assert_list_queries_flat(
        lambda: client.get("/api/v1/categories"), CategoryFactory.create_batch, ceiling=2
    )


def test_the_organisation_list_runs_a_fixed_number_of_queries(platform_staff):
    client = api_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get("/api/v1/organisations"), OrganisationFactory.create_batch, ceiling=3
    )


def test_a_unit_list_page_stays_within_its_query_ceiling(
    platform_staff, units, django_assert_max_num_queries
):
    client = api_client_for(platform_staff)
    client.get("/api/v1/units")  # the first request stamps the token's last use
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/units?page_size=500").status_code == 200
