"""The pieces the apps' APIs and URL tables share: operation ids from view names,
the moves of a record, the downloads of its papers, and the page routes table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from config.api import api
from sanbao.core.api import Moves
from sanbao.core.errors import NotFound, PermissionDenied
from sanbao.core.routes import routes
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope


def _operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_id_is_its_view_functions_name_and_unique():
    ids = [op["operationId"] for _path, _method, op in _operations()]
    assert len(ids) == len(set(ids))
    for _path, _method, op in _operations():
        assert op["summary"] == op["operationId"].title().replace("_", " ")
    assert {"get_claim", "submit_batch", "get_claim_receipt", "get_delivery_list"} <= set(ids)


@pytest.mark.parametrize(
    ("path", "media_type", "statuses"),
    [
        (
            "/api/v1/claims/{number}/receipt.pdf",
            "application/pdf",
            {"200", "401", "403", "404", "422"},
        ),
        (
            "/api/v1/batches/{number}/anomaly-notice.pdf",
            "application/pdf",
            {"200", "401", "403", "404", "409", "422"},
        ),
        (
            "/api/v1/shipments/{number}/delivery-list.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            {"200", "401", "403", "404", "422"},
        ),
    ],
)
def test_a_download_route_declares_a_binary_answer_and_its_errors(path, media_type, statuses):
    operation = api.get_openapi_schema()["paths"][path]["get"]
    responses = {str(status): answer for status, answer in operation["responses"].items()}
    assert set(responses) == statuses
    content = responses["200"]["content"]
    assert content == {media_type: {"schema": {"type": "string", "format": "binary"}}}
    assert [p["name"] for p in operation["parameters"]] == ["number"]


class _Machine:
    """Only the permission half of a ``core.transitions.Machine``."""

    def __init__(self, allowed: set[str], log: list) -> None:
        self.allowed, self.log = allowed, log

    def authorise(self, actor, action: str) -> None:
        self.log.append(("authorise", actor, action))
        if action not in self.allowed:
            raise PermissionDenied()


def _moves(log: list, allowed=frozenset({"close"}), show=None) -> Moves:
    def fetch(request, key):
        log.append(("fetch", key))
        if key != "R1":
            raise NotFound()
        return SimpleNamespace(key=key)

    return Moves(_Machine(set(allowed), log), fetch, arg="batch", show=show)


def test_a_move_authorises_fetches_runs_the_service_and_answers_the_record_anew():
    log: list = []
    request = SimpleNamespace(auth="clerk")

    def close(*, batch, actor, note):
        log.append(("service", batch.key, actor, note))

    answer = _moves(log).make(request, "R1", "close", close, note="done")

    assert answer.key == "R1"
    assert log == [
        ("authorise", "clerk", "close"),
        ("fetch", "R1"),
        ("service", "R1", "clerk", "done"),
        ("fetch", "R1"),
    ]


def test_a_move_answers_with_show_when_given():
    log: list = []
    moves = _moves(log, show=lambda request, key: f"shown {key}")
    answer = moves.make(SimpleNamespace(auth="clerk"), "R1", "close", lambda **kw: None)
    assert answer == "shown R1"


def test_a_role_that_may_never_make_the_move_is_refused_before_the_record_is_looked_up():
    log: list = []
    with pytest.raises(PermissionDenied):
        _moves(log, allowed=set()).target(SimpleNamespace(auth="clerk"), "nope", "close")
    assert log == [("authorise", "clerk", "close")]


def test_a_record_outside_the_callers_scope_is_404_and_the_service_never_runs():
    log: list = []
    with pytest.raises(NotFound):
        _moves(log).make(SimpleNamespace(auth="clerk"), "R9", "close", log.append)
    assert log == [("authorise", "clerk", "close"), ("fetch", "R9")]


def batch_list(request):
    raise AssertionError("not called")


def test_routes_name_each_pattern_after_its_view_or_the_name_given_and_keep_the_order():
    def made_by_a_factory(request, number):
        raise AssertionError("not called")

    patterns = routes({"": batch_list, "<str:number>/paper.pdf": (made_by_a_factory, "paper")})

    assert [(str(p.pattern), p.name, p.callback) for p in patterns] == [
        ("", "batch_list", batch_list),
        ("<str:number>/paper.pdf", "paper", made_by_a_factory),
    ]


def test_the_apps_page_names_still_reverse_to_their_routes():
    assert reverse("claims:claim_receipt_pdf", args=["C1"]) == "/claims/C1/receipt.pdf"
    assert reverse("returns:delivery_list_xlsx", args=["S1"]) == (
        "/returns/shipments/S1/delivery-list.xlsx"
    )
    assert reverse("workdays:calendar", args=[2026]) == "/calendar/2026/"
    assert reverse("catalog:unit_detail", args=["A/B"]) == "/catalog/units/A/B/"


@pytest.mark.parametrize(
    "path",
    ["/organisations", "/units", "/claims", "/retained-parts", "/batches", "/shipments"],
)
@pytest.mark.parametrize(("query", "field"), [("page=0", "page"), ("page_size=501", "page_size")])
def test_every_paged_list_refuses_a_page_below_1_and_a_page_size_above_500(
    administrator, path, query, field
):
    response = api_client_for(administrator).get(f"/api/v1{path}?{query}")
    assert_envelope(response, 422, "core.request_invalid")
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    "path",
    ["/organisations", "/units", "/claims", "/retained-parts", "/batches", "/shipments"],
)
def test_every_paged_list_takes_the_first_page_of_500(administrator, path):
    response = api_client_for(administrator).get(f"/api/v1{path}?page=1&page_size=500")
    assert response.status_code == 200
    assert (response.json()["page"], response.json()["page_size"]) == (1, 500)


def test_a_factory_made_view_without_a_name_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from sanbao.core.routes import routes

    def factory():
        def view(request):
            return None

        return view

    with pytest.raises(ImproperlyConfigured):
        routes({"x/": factory()})
    assert routes({"x/": (factory(), "x")})[0].name == "x"
