"""Isolation, walked over every endpoint (issue 13, item 2).

Every URL pattern of the resolver and every operation of the OpenAPI document
(``walk.endpoints``), with its path filled with one of agent A's records
(``world.build``), is requested as anonymous, as agent B's clerk (A's owner's
role in another organisation), as a service outlet's technician (the wrong role)
and as whoever may see it (agent A's clerk or the platform): anonymous is asked
to log in; B and the wrong role get a 403/404 on A's records and never write,
and nothing they get names A's records; someone reaches each record, so the URL
was a real one. Pages are requested with GET and POST, operations with their
method; downloads (PDF, XLSX, CSV, evidence files, photos) are pages and
operations like the others. The allow-list of public endpoints is
``walk.PUBLIC_PAGES``, each with its reason.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.isolation import walk
from tests.isolation import world as agent_a_world


@pytest.fixture
def world(cast, monkeypatch):
    return agent_a_world.build(cast, monkeypatch)


def test_every_endpoint_keeps_agent_as_records_to_agent_a_and_the_platform(cast, world, capsys):
    found = walk.endpoints()
    clients = walk.make_clients(cast)
    failures = []
    for endpoint in found.walked:
        failures += walk.probe(world, endpoint, clients)
    with capsys.disabled():
        print(f"\nisolation walk: {found.coverage()}")
    assert not found.unnamed, f"URL patterns the walk cannot build: {found.unnamed}"
    assert found.complete(), found.coverage()
    assert not failures, "\n".join(failures)


@override_settings(ROOT_URLCONF="tests.isolation.dummy_urls")
def test_a_view_without_a_permission_check_fails_the_walk(cast, world):
    found = walk.endpoints()
    dummy = [e for e in found.walked if e.name == "dummy:open_claim"]
    assert dummy, "the walk did not find the new URL pattern"
    walk.BY_NAME[("dummy:open_claim", "number")] = "claim"
    try:
        failures = walk.probe(world, dummy[0], walk.make_clients(cast))
    finally:
        del walk.BY_NAME[("dummy:open_claim", "number")]
    text = "\n".join(failures)
    assert "as anonymous" in text and "not asked to log in" in text
    assert f"as agent_b_clerk: GET /dummy/open/{world.values['claim']}/ -> 200" in text
    assert "shows agent A's SBA000002" in text  # the claim's unit, not in the URL
    assert "as outlet_tech" in text


def test_a_new_endpoint_without_its_record_in_the_lookup_table_fails_naming_it():
    world = agent_a_world.World()
    endpoint = walk.Endpoint("page", "claims:new_thing", "claims/<str:ticket>/", ("ticket",))
    (failure,) = walk.probe(world, endpoint, clients={})
    assert "claims:new_thing" in failure and "parameter ticket" in failure
