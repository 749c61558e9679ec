"""The home pages open on the work (issue 15, item 1): each role's counts,
checked against hand-made rows (another organisation's never counted), each count
a link to a list that shows exactly those records, and a bounded number of
queries however many rows there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.claims.models import ClaimStatus
from sanbao.deliveries.models import DeclarationStatus, Department
from sanbao.home.tests import rows
from sanbao.returns.models import BatchStatus as S
from sanbao.testkit.cast import login_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def batches(cast):
    """Agent A's and agent B's batches in the states the after-sales centre counts.

    Agent A: two under test two days overdue, one received due today, one under
    test due in three days, one ready due tomorrow; one on hold with an open
    anomaly and a call to make, one on hold whose call reached them (its anomaly
    still open); three in transit, one being received; one waiting for a unit
    delayed in time (due in two days) and one for a unit delayed after its due
    date (so overdue, IV.6); shipped: two on time, one late; a draft.
    Agent B: one in transit, one under test overdue, one on hold with a call to
    make and an open anomaly, a shipped one on time."""
    a, b = cast.agent_a, cast.agent_b
    clerk_a, clerk_b = cast.agent_a_clerk, cast.agent_b_clerk
    rows.batches(a, clerk_a, S.TESTING, 2, due_on=rows.days(-2))
    rows.batch(a, clerk_a, S.RECEIVED, due_on=rows.today())
    rows.batch(a, clerk_a, S.TESTING, due_on=rows.days(3))
    rows.batch(a, clerk_a, S.READY, due_on=rows.days(1))
    held = rows.batch(a, clerk_a, S.ON_HOLD)
    rows.anomaly(held)
    rows.anomaly(held, resolved=True)
    rows.contact_task(held)
    reached = rows.batch(a, clerk_a, S.ON_HOLD)
    rows.anomaly(reached)
    rows.contact_task(reached, done=True)
    rows.batches(a, clerk_a, S.SUBMITTED, 3)
    rows.batch(a, clerk_a, S.RECEIVING)
    in_time = rows.batch(a, clerk_a, S.DELAYED, due_on=rows.days(2))
    rows.unit_to_follow(in_time, 1)
    rows.unit_to_follow(in_time, 2)
    too_late = rows.batch(a, clerk_a, S.DELAYED, due_on=rows.days(-3))
    rows.unit_to_follow(too_late, 1)
    rows.shipped(a, clerk_a, late=0)
    rows.shipped(a, clerk_a, late=0)
    rows.shipped(a, clerk_a, late=2)
    rows.batch(a, clerk_a, S.DRAFT)

    rows.batch(b, clerk_b, S.SUBMITTED)
    rows.batch(b, clerk_b, S.TESTING, due_on=rows.days(-1))
    held_b = rows.batch(b, clerk_b, S.ON_HOLD)
    rows.anomaly(held_b)
    rows.contact_task(held_b)
    rows.shipped(b, clerk_b, late=0)


@pytest.fixture
def declarations(cast):
    """Agent A: one being prepared, two with the after-sales department; agent B:
    one with the marketing department, one being prepared."""
    a, b = cast.agent_a, cast.agent_b
    rows.declaration(a, cast.agent_a_clerk, DeclarationStatus.DRAFT)
    rows.declaration(a, cast.agent_a_clerk, DeclarationStatus.SUBMITTED, Department.AFTER_SALES)
    rows.declaration(a, cast.agent_a_clerk, DeclarationStatus.SUBMITTED, Department.AFTER_SALES)
    rows.declaration(b, cast.agent_b_clerk, DeclarationStatus.SUBMITTED, Department.MARKETING)
    rows.declaration(b, cast.agent_b_clerk, DeclarationStatus.DRAFT)


@pytest.fixture
def claims(cast):
    """Outlet D handles two submitted, one under judgement, one approved, two in
    service and one closed; the platform handles one submitted and one in service
    (not the outlet's)."""
    outlet, platform, model = cast.outlet_d, cast.platform_org, cast.pb10k
    tech, staff = cast.outlet_tech, cast.platform_staff
    for status, count in (
        (ClaimStatus.SUBMITTED, 2),
        (ClaimStatus.UNDER_JUDGEMENT, 1),
        (ClaimStatus.APPROVED, 1),
        (ClaimStatus.IN_SERVICE, 2),
        (ClaimStatus.CLOSED, 1),
    ):
        for _ in range(count):
            rows.claim(outlet, tech, status, model=model)
    rows.claim(platform, staff, ClaimStatus.SUBMITTED, model=model)
    rows.claim(platform, staff, ClaimStatus.IN_SERVICE, model=model, claimant=cast.agent_b)


def home_of(user) -> dict:
    response = login_client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.context["work"]


def counted(work: dict) -> dict[str, int]:
    return {c.key: c.count for c in work["counts"]}


def listed(client, url: str) -> int:
    """How many records the list at ``url`` shows (every page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "page" in context:
        return context["page"].paginator.count
    return sum(len(group["units"]) for group in context["groups"])  # still to follow


def test_after_sales_staff_see_every_return_units_batches_by_what_they_must_do(cast, batches):
    assert counted(home_of(cast.platform_staff)) == {
        "overdue": 4,  # A's two under test and the one delayed too late, B's one
        "due-today": 1,
        "to-contact": 2,  # the call that reached agent A is done
        "on-hold": 3,
        "in-transit": 4,
        "receiving": 1,
        "received": 1,
        "testing": 4,
        "ready": 1,
        "to-follow": 3,
    }


def test_the_most_urgent_counts_come_first_on_the_after_sales_home_page(cast, batches):
    keys = [c.key for c in home_of(cast.platform_manager)["counts"]]
    assert keys[:3] == ["overdue", "due-today", "to-contact"]


def test_the_most_urgent_counts_come_first_on_an_agents_home_page(cast, batches):
    keys = [c.key for c in home_of(cast.agent_a_clerk)["counts"]]
    assert keys[:2] == ["overdue", "due-today"]


def test_an_agent_sees_only_its_own_batches_anomalies_and_declarations(cast, batches, declarations):
    work = home_of(cast.agent_a_clerk)
    assert counted(work) == {
        "anomalies": 2,  # the two open on its batches on hold; B's is not counted
        "declarations-draft": 1,
        "declarations-waiting": 2,
        "overdue": 3,
        "due-today": 1,
        "to-follow": 3,
    }
    states = {c.key: c.count for c in work["states"]}
    assert states == {
        "state-draft": 1,
        "state-submitted": 3,
        "state-receiving": 1,
        "state-on_hold": 2,
        "state-received": 1,
        "state-testing": 3,
        "state-ready": 1,
        "state-delayed": 2,
        "state-shipped": 3,
        "state-closed": 0,
        "state-refused": 0,
    }


def test_an_agents_on_time_rate_counts_batches_shipped_late_and_those_overdue_as_late(
    cast, batches
):
    work = home_of(cast.agent_a_clerk)
    # Two shipped on time; one shipped late and three overdue and not yet shipped.
    assert (work["on_time"], work["late"], work["judged"]) == (2, 4, 6)
    assert work["on_time_rate"] == pytest.approx(2 / 6)
    other = home_of(cast.agent_b_clerk)
    assert (other["on_time"], other["late"], other["judged"]) == (1, 1, 2)


def test_an_agent_sees_its_batches_soonest_due_back_first(cast, batches):
    due = [(b.due_on, b.status) for b in home_of(cast.agent_a_clerk)["next_due"]]
    assert due == [
        (rows.days(-3), S.DELAYED),  # waiting for a unit delayed too late: its clock runs
        (rows.days(-2), S.TESTING),
        (rows.days(-2), S.TESTING),
        (rows.today(), S.RECEIVED),
        (rows.days(1), S.READY),
    ]


def test_an_agent_with_no_batch_due_yet_has_no_on_time_rate(cast):
    work = home_of(cast.enterprise_clerk)
    assert (work["judged"], work["on_time_rate"], work["next_due"]) == (0, None, [])


def test_a_commissioner_sees_the_declarations_submitted_to_their_department(cast, declarations):
    assert counted(home_of(cast.cs_commissioner)) == {"declarations-waiting": 2}
    assert counted(home_of(cast.commercial_commissioner)) == {"declarations-waiting": 1}


def test_an_outlet_technician_sees_the_claims_of_the_outlet_to_judge_and_in_service(cast, claims):
    assert counted(home_of(cast.outlet_tech)) == {"to-judge": 3, "approved": 1, "in-service": 2}


@pytest.mark.parametrize(
    "who",
    [
        "platform_staff",
        "agent_a_clerk",
        "agent_b_clerk",
        "cs_commissioner",
        "commercial_commissioner",
        "outlet_tech",
    ],
)
def test_each_count_links_to_a_list_that_shows_exactly_those_records(
    cast, batches, declarations, claims, who
):
    user = getattr(cast, who)
    work = home_of(user)
    client = login_client_for(user)
    for count in [*work["counts"], *work.get("states", [])]:
        assert listed(client, count.url) == count.count, (count.key, count.url)


def _item(page: str, testid: str) -> str:
    """The opening tag of the element with ``testid``."""
    at = page.index(f'data-testid="{testid}"')
    return page[page.rindex("<", 0, at) : page.index(">", at) + 1]


def test_the_page_shows_each_count_with_its_label_and_link_the_urgent_in_colour(cast, batches):
    page = login_client_for(cast.platform_staff).get(reverse("home")).content.decode()
    overdue = _item(page, "work-overdue")
    assert 'href="/returns/?attention=overdue"' in overdue and 'data-count="4"' in overdue
    assert "text-secondary" not in overdue
    assert '<span class="work-count fw-semibold text-danger">4</span>' in page
    # The plain label, in the user's language.
    assert "Overdue: past their due date" in page or "已逾期：已过应寄回日期" in page


def test_a_zero_count_is_shown_quietly(cast):
    page = login_client_for(cast.platform_staff).get(reverse("home")).content.decode()
    overdue = _item(page, "work-overdue")
    assert 'data-count="0"' in overdue and "text-secondary" in overdue
    assert '<span class="work-count">0</span>' in page
    assert "text-danger" not in page


def test_the_administrator_home_page_has_no_work_counts(cast):
    assert home_of(cast.administrator)["counts"] == []


def _more_batches(cast, count: int) -> None:
    for org, clerk in ((cast.agent_a, cast.agent_a_clerk), (cast.agent_b, cast.agent_b_clerk)):
        for i in range(count):
            batch = rows.batch(org, clerk, S.DELAYED, due_on=rows.days(i % 5 - 2))
            rows.unit_to_follow(batch, 1)
            rows.anomaly(rows.batch(org, clerk, S.ON_HOLD))
            rows.shipped(org, clerk, late=i % 2)
            rows.declaration(org, clerk, DeclarationStatus.SUBMITTED)
            rows.claim(cast.outlet_d, cast.outlet_tech, ClaimStatus.SUBMITTED, model=cast.pb10k)


# The queries of a home page: the session and its user, the catalog's two totals
# (read from the cache), and the role's own (after-sales: 3; a return unit: 5 of
# batches, 1 of declarations, its organisation).
HOME_QUERIES = 11


@pytest.mark.parametrize(
    "who",
    ["platform_staff", "agent_a_clerk", "cs_commissioner", "outlet_tech", "administrator"],
)
def test_a_home_page_runs_a_bounded_number_of_queries_however_many_rows(
    cast, batches, declarations, claims, django_assert_max_num_queries, who
):
    _more_batches(cast, HOME_QUERIES + 2)
    client = login_client_for(getattr(cast, who))
    client.get(reverse("home"))
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_the_after_sales_home_counts_the_open_batches_without_reading_the_ended_ones(
    cast, batches, django_assert_num_queries
):
    from sanbao.returns.selectors import ENDED, returns_work

    whole = returns_work(actor=cast.platform_staff, next_due=0)
    with django_assert_num_queries(3):  # the open batches, anomalies, units to follow
        day = returns_work(actor=cast.platform_staff, next_due=0, history=False)
    assert day.by_status == {s: n for s, n in whole.by_status.items() if s not in ENDED}
    assert (day.overdue, day.due_today, day.to_contact) == (
        whole.overdue,
        whole.due_today,
        whole.to_contact,
    )
    assert (day.on_time, day.late, day.on_time_rate) == (None, None, None)
    assert whole.by_status[S.SHIPPED] > 0  # the fixture has ended batches to leave out
