"""The demo reads as one believable firm's book: no plan, tab or page contradicts another."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from kam.domain.people_map import Strength
from kam.services import plans, users
from kam.services.access import scope_for
from kam.services.book import Book
from kam.services.bubbles import portfolio_bubbles
from kam.services.plans import competitors as plan_competitors
from kam.services.plans import deal as plan_deal
from kam.services.plans import decision as plan_decision
from kam.services.plans import engagement as plan_engagement
from kam.services.plans import people as plan_people
from kam.services.plans import risks as plan_risks
from kam.services.prospects import prospects_view

SECTIONS = ("", "/offer", "/people", "/decision", "/engagement", "/interventions", "/deal")
SECTIONS += ("/risks", "/competitors")


def _plan_ids(demo: Book) -> list[int]:
    head = users.get_user(demo, "andrew.fuller")
    assert head is not None
    listed = plans.list_plans(demo, head, plans.current_period())
    assert len(listed) == 3
    return [p.plan.id for p in listed]


def _head(demo: Book) -> plans.User:
    head = users.get_user(demo, "andrew.fuller")
    assert head is not None
    return head


def test_each_demo_plan_has_a_deal_risks_and_competitors_of_its_own(demo: Book) -> None:
    head = _head(demo)
    deals, risks, rivals = [], [], []
    for plan_id in _plan_ids(demo):
        view = plan_deal.deal_of_plan(demo, head, plan_id)
        assert len(view.deals) == 1
        deals.append(view.deals[0].deal.name)
        registered = plan_risks.risks_of_plan(demo, head, plan_id).risks
        assert registered and {r.deal_id for r in registered} == {view.deals[0].deal.id}
        risks.append(frozenset(r.title for r in registered))
        notes = plan_competitors.competitors_of_plan(demo, head, plan_id).notes
        rivals.append(frozenset(n.competitor for n in notes))
    assert len(set(deals)) == 3, deals
    assert len(set(risks)) == 3 and not (risks[0] & risks[1] or risks[1] & risks[2])
    assert len(set(rivals)) == 3


def test_the_decision_tab_scores_the_competitors_of_the_competitors_tab(demo: Book) -> None:
    head = _head(demo)
    for plan_id in _plan_ids(demo):
        decision = plan_decision.decision_of_plan(demo, head, plan_id)
        notes = plan_competitors.competitors_of_plan(demo, head, plan_id).notes
        scored = {c.name for c in decision.competitors}
        assert scored and scored == {n.competitor for n in notes}
        for criterion in decision.criteria:
            assert set(criterion.scores) == {c.id for c in decision.competitors}


def test_whoever_we_are_strongly_related_to_has_been_met(demo: Book) -> None:
    head = _head(demo)
    for plan_id in _plan_ids(demo):
        people = plan_people.people_of_plan(demo, head, plan_id)
        strong = {
            e.stakeholder.person_key
            for e in people.entries
            if e.stakeholder.profile.relationship_strength is Strength.STRONG
        }
        assert strong, "each demo plan has a strong relationship"
        not_met = {p.key for p in plan_engagement.engagement_of_plan(demo, head, plan_id).not_met}
        assert not strong & not_met, "a strong relationship is listed as never met"


def test_every_prospect_has_a_qualified_potential_and_clients_have_potentials(
    demo: Book,
) -> None:
    head = _head(demo)
    view = prospects_view(demo, head)
    assert view.ranking
    for entry in [*view.ranking, *view.dropped]:
        assert entry.qualified_potential > 0, entry.client.key
    bubbles = portfolio_bubbles(demo, scope_for(demo, head))
    assert bubbles.with_potential > 0 and bubbles.bubbles


def test_no_page_of_the_demo_labels_a_text_twice(login: Callable[[str], TestClient]) -> None:
    client = login("head")
    period = plans.current_period()
    pages = ["/prospects"]
    for key in ("SAVEA", "QUICK", "HUNGO"):
        pages += [f"/clients/{key}/plans/{period}{section}" for section in SECTIONS]
    listed = client.get("/prospects").text
    pages += sorted(set(re.findall(r'href="(/prospects/[^"/]+)"', listed)))
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert not re.search(r"\(demo\)\W*\(demo\)", answer.text), path
