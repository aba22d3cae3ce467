"""Prospects: candidates by the latest classification, qualification, ranking, steps, drops."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.class_history import ClassSnapshot
from kam.domain.client import Client
from kam.domain.prospects import CriterionKind, Horizon, ProspectStatus
from kam.services import prospects
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.store import class_history, records
from kam.store.database import transaction
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER

TODAY = date(2026, 3, 4)  # a Wednesday


def _snapshot(key: str, value: int) -> ClassSnapshot:
    return ClassSnapshot(
        client_key=key,
        period="2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        policy="pareto 0.8,0.95 by revenue",
        value=value,
        share=0.0,
        rank=1,
        computed_class="A" if value > 100_000 else "C",
        abc_class="A" if value > 100_000 else "C",
        reason="",
        taken_at=NOW,
    )


@pytest.fixture
def book(book: Book) -> Book:
    """ACME (ann's) bought 1,200.00, DELTA (ann's) 50.00; GAMMA (ann's) is not classified."""
    with transaction(book.database) as session:
        records.upsert(
            session,
            [
                Client("GAMMA", "Gamma GmbH", owner="ann", potential=500_000_00),
                Client("DELTA", "Delta SA", owner="ann"),
            ],
            NOW,
        )
        class_history.save_classification(
            session,
            [_snapshot("ACME", 120_000), _snapshot("BETA", 300_000), _snapshot("DELTA", 50_00)],
            period="2025",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            policy="pareto 0.8,0.95 by revenue",
            groups=False,
            taken_by="hedda",
            taken_at=NOW,
        )
    return book


def _criteria(book: Book) -> dict[str, int]:
    return {c.code or c.label: c.id for c in prospects.qualification_settings(book).criteria}


def test_candidates_are_the_clients_without_net_sales_in_the_latest_classification(
    book: Book,
) -> None:
    listed = prospects.list_candidates(book, ANN)
    assert (listed.total, [c.key for c in listed.candidates]) == (1, ["GAMMA"])
    settings = prospects.qualification_settings(book)
    prospects.save_qualification_settings(
        book,
        HEAD,
        [
            prospects.CriterionInput(c.id, c.label, c.weight, c.kind, c.active)
            for c in settings.criteria
        ],
        100_00,
        now=NOW,
    )
    # a threshold of 100.00: DELTA's 50.00 counts; the largest potential first
    assert [c.key for c in prospects.list_candidates(book, ANN).candidates] == ["GAMMA", "DELTA"]
    assert [c.key for c in prospects.list_candidates(book, BOB).candidates] == []
    assert [c.key for c in prospects.list_candidates(book, HEAD).candidates] == ["GAMMA", "DELTA"]


def test_only_a_candidate_goes_on_the_list_and_only_by_an_editor_who_sees_it(book: Book) -> None:
    with pytest.raises(prospects.ProspectError, match="Acme Corp is not a prospect"):
        prospects.add_prospect(book, ANN, "ACME", now=NOW)
    with pytest.raises(AccessDeniedError):
        prospects.add_prospect(book, VIEWER, "GAMMA", now=NOW)
    with pytest.raises(LookupError):
        prospects.add_prospect(book, BOB, "GAMMA", now=NOW)
    added = prospects.add_prospect(book, ANN, "GAMMA", " Trade fair ", now=NOW)
    assert (added.status, added.source, added.owner, added.created_by) == (
        ProspectStatus.OPEN,
        "Trade fair",
        "ann",
        "ann",
    )
    assert prospects.add_prospect(book, HEAD, "GAMMA", "again", now=NOW) == added
    assert prospects.list_candidates(book, ANN).total == 0


def test_the_score_is_the_weighted_share_of_the_answers_and_ranks_by_qualified_potential(
    book: Book,
) -> None:
    ids = _criteria(book)
    prospects.save_qualification_settings(
        book,
        HEAD,
        [
            prospects.CriterionInput(c.id, c.label, c.weight, c.kind, c.active)
            for c in prospects.qualification_settings(book).criteria
        ],
        100_00,
        now=NOW,
    )
    for key in ("GAMMA", "DELTA"):
        prospects.add_prospect(book, ANN, key, now=NOW)
    # Default weights: size 3, potential 3, fit 2, decision maker 2 (yes/no), finances 1 = 11.
    # GAMMA: 5/5, 5/5, 3/5, yes, 0/5 -> (3 + 3 + 1.2 + 2 + 0) / 11 = 9.2 / 11 = 83.64
    score = prospects.set_answers(
        book,
        ANN,
        "GAMMA",
        {
            ids["size"]: (5, "500 staff"),
            ids["potential"]: (5, ""),
            ids["fit"]: (3, ""),
            ids["decision_maker"]: (1, "met the CFO"),
            ids["financial_health"]: (0, "late payer"),
        },
        now=NOW,
    )
    assert score == pytest.approx(100 * 9.2 / 11)
    # DELTA: size 2/5 only -> 3 x 0.4 / 11 = 10.91; no potential in the book, our estimate 1m
    prospects.set_answers(book, ANN, "DELTA", {ids["size"]: (2, "")}, now=NOW)
    prospects.update_prospect(
        book,
        ANN,
        "DELTA",
        source="Referral",
        owner="ann",
        potential_estimate=1_000_000_00,
        status=ProspectStatus.QUALIFIED,
        now=NOW,
    )
    view = prospects.prospects_view(book, ANN, TODAY)
    assert [(e.rank, e.client.key, e.qualified_potential) for e in view.ranking] == [
        (1, "GAMMA", 41_818_182),  # 500,000.00 x 83.64%
        (2, "DELTA", 10_909_091),  # 1,000,000.00 x 10.91%
    ]
    assert view.ranking[0].answers[ids["decision_maker"]].note == "met the CFO"
    with pytest.raises(prospects.ProspectError, match="from 0 to 1"):
        prospects.set_answers(book, ANN, "GAMMA", {ids["decision_maker"]: (3, "")}, now=NOW)
    # clearing an answer counts it as 0 again
    prospects.set_answers(book, ANN, "GAMMA", {ids["size"]: (None, "")}, now=NOW)
    detail = prospects.prospect_detail(book, ANN, "GAMMA", TODAY)
    assert detail.score == pytest.approx(100 * 6.2 / 11)


def test_a_dropped_prospect_leaves_the_ranking_and_keeps_its_reason(book: Book) -> None:
    prospects.add_prospect(book, ANN, "GAMMA", now=NOW)
    with pytest.raises(prospects.ProspectError, match="say why"):
        prospects.drop_prospect(book, ANN, "GAMMA", "  ", now=NOW)
    with pytest.raises(prospects.ProspectError, match="drop form"):
        prospects.update_prospect(
            book,
            ANN,
            "GAMMA",
            source="",
            owner=None,
            potential_estimate=None,
            status=ProspectStatus.DROPPED,
        )
    later = datetime(2026, 3, 3, 16, 0)
    prospects.drop_prospect(book, HEAD, "GAMMA", "Buys centrally abroad", now=later)
    view = prospects.prospects_view(book, ANN, TODAY)
    assert view.ranking == []
    [dropped] = view.dropped
    assert (dropped.prospect.drop_reason, dropped.prospect.dropped_by) == (
        "Buys centrally abroad",
        "hedda",
    )
    assert dropped.prospect.dropped_at == later
    assert prospects.prospects_view(book, BOB, TODAY).dropped == []
    assert [e.client.key for e in prospects.prospects_view(book, VIEWER, TODAY).dropped] == []


def test_next_steps_fall_into_today_this_week_and_this_month(book: Book) -> None:
    prospects.add_prospect(book, ANN, "GAMMA", now=NOW)
    due = [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 8), date(2026, 3, 20)]
    steps = [
        prospects.add_step(book, ANN, "GAMMA", action=f"step {d.day}", due=d, now=NOW) for d in due
    ]
    prospects.mark_step(book, ANN, "GAMMA", steps[0].id, now=NOW)
    view = prospects.prospects_view(book, ANN, TODAY)
    [entry] = view.ranking
    assert [s.action for s in entry.open_steps] == ["step 4", "step 8", "step 20"]
    assert entry.next_step is not None and entry.next_step.horizon(TODAY) is Horizon.TODAY
    assert view.steps_by_horizon == {
        Horizon.OVERDUE: 0,
        Horizon.TODAY: 1,
        Horizon.THIS_WEEK: 1,
        Horizon.THIS_MONTH: 1,
        Horizon.LATER: 0,
    }
    detail = prospects.prospect_detail(book, ANN, "GAMMA", TODAY)
    assert [s.horizon(TODAY) for s in detail.steps] == [
        Horizon.TODAY,
        Horizon.THIS_WEEK,
        Horizon.THIS_MONTH,
        None,  # done
    ]
    with pytest.raises(prospects.ProspectError, match="say what"):
        prospects.add_step(book, ANN, "GAMMA", action=" ", due=TODAY)
    with pytest.raises(LookupError):
        prospects.mark_step(book, ANN, "GAMMA", 99_999)
    prospects.delete_step(book, ANN, "GAMMA", steps[3].id, now=NOW)
    assert len(prospects.prospect_detail(book, ANN, "GAMMA", TODAY).steps) == 3


def test_the_head_configures_the_criteria_and_a_retired_one_no_longer_counts(book: Book) -> None:
    settings = prospects.qualification_settings(book)
    assert [(c.code, c.weight, c.kind) for c in settings.criteria] == [
        ("size", 3, CriterionKind.SCALE),
        ("potential", 3, CriterionKind.SCALE),
        ("fit", 2, CriterionKind.SCALE),
        ("decision_maker", 2, CriterionKind.YES_NO),
        ("financial_health", 1, CriterionKind.SCALE),
    ]
    assert settings.criteria[0].title == "Size"
    given = [prospects.CriterionInput(c.id, c.label, c.weight, c.kind) for c in settings.criteria]
    with pytest.raises(AccessDeniedError):
        prospects.save_qualification_settings(book, ANN, given, 0)
    with pytest.raises(prospects.ProspectError, match="needs a name"):
        prospects.save_qualification_settings(
            book, HEAD, [*given, prospects.CriterionInput(None, "", 1)], 0
        )
    # Only size (weight 1, renamed) and a new yes/no criterion (weight 1) count.
    changed = [
        prospects.CriterionInput(given[0].id, "Headcount", 1, CriterionKind.SCALE),
        *[prospects.CriterionInput(c.id, c.label, c.weight, c.kind, False) for c in given[1:]],
        prospects.CriterionInput(None, "Uses a competitor", 1, CriterionKind.YES_NO),
    ]
    saved = prospects.save_qualification_settings(book, HEAD, changed, 0, now=NOW)
    assert [c.title for c in saved.criteria if c.active] == ["Headcount", "Uses a competitor"]
    ids = {c.title: c.id for c in saved.criteria}
    prospects.add_prospect(book, ANN, "GAMMA", now=NOW)
    # headcount 4/5 = 0.8, competitor yes = 1; the fit answer of a retired criterion is ignored
    score = prospects.set_answers(
        book,
        ANN,
        "GAMMA",
        {
            ids["Headcount"]: (4, ""),
            ids["Uses a competitor"]: (1, ""),
            ids["Fit with our offer"]: (0, ""),
        },
        now=NOW,
    )
    assert score == pytest.approx(90.0)


def test_the_demo_fills_the_prospect_list_through_the_services(book: Book) -> None:
    made = prospects.demo_prospects(book, HEAD, TODAY)
    assert made == ["GAMMA"]  # the only candidate at a threshold of 0
    view = prospects.prospects_view(book, HEAD, TODAY)
    [entry] = view.ranking
    assert entry.prospect.source.endswith("(demo)")
    # answers 5, 4, 3 of 5, no, 1 of 5: (3 x 1 + 3 x 0.8 + 2 x 0.6 + 0 + 1 x 0.2) / 11
    assert entry.score == pytest.approx(100 * 6.8 / 11)
    # a call today, samples on Saturday
    assert [s.horizon(TODAY) for s in entry.open_steps] == [Horizon.TODAY, Horizon.THIS_WEEK]
