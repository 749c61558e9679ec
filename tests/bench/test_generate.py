"""bench/generate.py: the benchmark's data, small, and consistent with itself."""

from __future__ import annotations

import pytest
from django.db.models import Count

from bench import generate as gen
from sanbao.catalog.models import Unit
from sanbao.claims.models import LIVE_STATUSES, Claim
from sanbao.returns.models import BatchLine, ReturnBatch
from sanbao.returns.policy import parse_label_code

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def generated():
    return gen.generate(
        50,
        runs={"c1": 1, "c2": 2},
        intake_per_client=5,
        scans_per_client={"c1": 10, "c2": 10},
        document_lines=30,
        log=lambda *_: None,
    )


def test_the_sizes_asked_for_are_written(generated):
    assert generated.counts == {"units": 50, "claims": 50, "batches": 5, "intake_units": 15}
    assert Unit.objects.filter(serial__startswith=gen.UNIT_PREFIX).count() == 50
    assert Claim.objects.filter(number__startswith=gen.CLAIM_PREFIX).count() == 50
    generated_batches = ReturnBatch.objects.filter(number__startswith=gen.BATCH_PREFIX)
    assert generated_batches.count() == 5
    assert BatchLine.objects.filter(batch__in=generated_batches).count() == 10


def test_every_generated_claim_is_on_a_unit_of_its_own_of_the_same_model(generated):
    claims = Claim.objects.filter(number__startswith=gen.CLAIM_PREFIX).select_related("unit")
    assert len({c.unit_id for c in claims}) == 50
    assert all(c.model_id == c.unit.model_id and c.claimed_on >= c.delivered_on for c in claims)
    # The demo's states are all there, and a unit never has two live claims.
    assert claims.values("status").distinct().count() >= 4
    live = Claim.objects.filter(status__in=LIVE_STATUSES).values("unit").annotate(n=Count("id"))
    assert not live.filter(n__gt=1).exists()


def test_the_intake_units_have_no_claim_and_the_tokens_work(generated, client):
    intake = [s for run in generated.intake_serials.values() for s in run]
    assert len(intake) == len(set(intake)) == 15
    assert not Claim.objects.filter(unit__serial__in=intake).exists()
    assert len(generated.staff_tokens) == len(generated.agent_tokens) == 2
    for token in generated.staff_tokens:
        answer = client.get(
            f"/api/v1/units/{generated.serials[0]}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.content


def test_each_scanning_client_has_a_receiving_batch_and_its_labels(generated):
    assert [len(b) for b in generated.scan_batches.values()] == [1, 2]
    for run, batches in generated.scan_batches.items():
        for number, codes in zip(batches, generated.scan_labels[run], strict=True):
            batch = ReturnBatch.objects.get(number=number)
            assert batch.status == "receiving"
            assert len(codes) == len(set(codes)) == batch.declared_units == 9
            assert {parse_label_code(c)[0] for c in codes} == {number}


def test_the_documents_batches_hold_the_lines_and_the_labels_asked_for(generated):
    batch = ReturnBatch.objects.get(number=generated.documents_batch)
    lines = list(batch.lines.order_by("line_no").values_list("line_no", "quantity"))
    assert lines == [(n, 1) for n in range(1, 31)]
    labels = ReturnBatch.objects.get(number=generated.labels_batch)
    assert sum(labels.lines.values_list("quantity", flat=True)) == 30


def test_generated_numbers_are_distinct_and_never_a_drawn_month():
    numbers = {gen.number(gen.CLAIM_PREFIX, i) for i in range(5000)}
    assert len(numbers) == 5000
    assert all(n.startswith("C0001-") and len(n) == 12 for n in numbers)
