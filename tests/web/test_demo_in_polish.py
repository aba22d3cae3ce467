"""A demo built in Polish tells its stories in Polish, as the English demo tells them in English.

The invented texts of :mod:`kam.services.demo` are marked for the catalogue
and translated when they are written into the book, so each text the Polish
demo stores is the Polish catalogue's translation of its English message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.i18n import gettext as _
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import plans, users
from kam.services.book import Book
from kam.services.demo import build_demo, demo_plan_clients
from kam.services.demo.content import STORIES, DemoStory
from kam.services.demo.prospects import DROPPED, POTENTIAL_SOURCE, SOURCES
from kam.services.plans import competitors as plan_competitors
from kam.services.plans import deal as plan_deal
from kam.services.plans import decision as plan_decision
from kam.services.plans import engagement as plan_engagement
from kam.services.plans import people as plan_people
from kam.services.plans import risks as plan_risks
from kam.services.prospects import prospects_view
from kam.store import records
from kam.store.database import transaction
from tests.web.conftest import PASSWORD


def polish(message: str) -> str:
    """The Polish catalogue's text of an English message (an empty text stays empty)."""
    with use_language(language("pl")):
        return _(message) if message else ""


@pytest.fixture(scope="module")
def polish_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """The demo book built with Polish as the language of the moment."""
    with use_language(language("pl")):
        book, _logins = build_demo(
            Path(tmp_path_factory.mktemp("demo-pl")) / "book", password=PASSWORD
        )
    yield book
    book.close()


def _stories(book: Book) -> list[tuple[int, DemoStory]]:
    """Each demo plan's id with the story it tells."""
    head = users.get_user(book, "andrew.fuller")
    assert head is not None
    listed = {
        p.plan.client_key: p.plan.id for p in plans.list_plans(book, head, plans.current_period())
    }
    chosen = demo_plan_clients(book)
    assert len(chosen) == len(STORIES)
    return [(listed[client.key], story) for client, story in zip(chosen, STORIES, strict=True)]


def _written(
    book: Book, plan_id: int, story: DemoStory, word: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(the text stored, its English message) for the texts of a plan's story.

    ``word`` gives a message as the book was built to word it (to find a stored text by it).
    """
    head = users.get_user(book, "andrew.fuller")
    assert head is not None
    pairs: list[tuple[str, str]] = []
    deal = plan_deal.deal_of_plan(book, head, plan_id).deals[0]
    pairs += [(deal.deal.name, story.deal), (deal.deal.note, story.deal_note)]
    items = {d.deliverable.title: d.deliverable for d in deal.deliverables}
    assert len(items) == len(story.deliverables)
    for item in story.deliverables:
        stored = items[word(item.title)]
        pairs += [(stored.title, item.title)]
        if "{contact}" not in item.note:
            pairs += [(stored.note, item.note)]
    risks = {r.title: r for r in plan_risks.risks_of_plan(book, head, plan_id).risks}
    for risk in story.risks:
        stored = risks[word(risk.title)]
        pairs += [(stored.title, risk.title), (stored.mitigation, risk.mitigation)]
    notes = {
        n.competitor: n for n in plan_competitors.competitors_of_plan(book, head, plan_id).notes
    }
    for rival in story.competitors:
        note = notes[rival.name]
        pairs += [(note.team, rival.team), (note.tactics, rival.tactics)]
        pairs += [(note.strengths, rival.strengths), (note.weaknesses, rival.weaknesses)]
        pairs += [(note.lessons, rival.lessons)]
    decision = plan_decision.decision_of_plan(book, head, plan_id)
    pairs += zip([c.name for c in decision.criteria], [c[0] for c in story.criteria], strict=True)
    pairs += [(decision.notes, story.notes)]
    engagement = plan_engagement.engagement_of_plan(book, head, plan_id)
    for view, (name, objective, exit_criteria) in zip(engagement.stages, story.stages, strict=True):
        pairs += [(view.stage.name, name), (view.stage.objective, objective)]
        pairs += [(view.stage.exit_criteria, exit_criteria)]
    meetings = {m.meeting.objective: m.meeting for m in engagement.meetings}
    first = meetings[word(story.first_meeting[0])]
    stored_first = (first.objective, first.agenda, first.minutes, first.next_step)
    pairs += zip(stored_first, story.first_meeting, strict=True)
    executive = meetings[word(story.executive_meeting[0])]
    pairs += zip((executive.objective, executive.agenda), story.executive_meeting, strict=True)
    people = plan_people.people_of_plan(book, head, plan_id, include_personal=True)
    profiles = {e.stakeholder.profile.name: e.stakeholder.profile for e in people.entries}
    for person in (story.boss, story.finance, story.buyer):
        profile = profiles[person.name]
        pairs += [(profile.title, person.title), (profile.wants, person.wants)]
        pairs += [(profile.facts, person.facts), (profile.emotions, person.emotions)]
    return pairs


def test_the_polish_demo_writes_each_story_text_as_the_polish_catalogue_words_it(
    polish_demo: Book,
) -> None:
    translated = 0
    for plan_id, story in _stories(polish_demo):
        head = users.get_user(polish_demo, "andrew.fuller")
        assert head is not None
        plan = plans.readable_plan(polish_demo, head, plan_id)
        assert plan.objective.startswith(polish(story.objective).split("{client}")[0])
        for stored, message in _written(polish_demo, plan_id, story, polish):
            assert stored == polish(message), message
            translated += stored != message
    # the catalogue already words some of the stories' messages in Polish (the finance
    # head's title, the payment terms...): the demo is not written in English
    assert translated > 0


def test_the_polish_demo_lists_its_prospects_in_polish(polish_demo: Book) -> None:
    head = users.get_user(polish_demo, "andrew.fuller")
    assert head is not None
    view = prospects_view(polish_demo, head)
    entries = [*view.ranking, *view.dropped]
    assert entries
    assert {e.prospect.source for e in entries} <= {polish(s) for s in SOURCES}
    assert [e.prospect.drop_reason for e in view.dropped] == [polish(DROPPED)]
    with transaction(polish_demo.database) as session:
        sources = {c.potential_source for c in records.list_all(session, Client)}
    assert polish(POTENTIAL_SOURCE) in sources
    assert sources <= {polish(POTENTIAL_SOURCE), None, ""}


def test_the_english_demo_keeps_its_english_texts(demo: Book) -> None:
    for plan_id, story in _stories(demo):
        for stored, message in _written(demo, plan_id, story, str):
            assert stored == message
