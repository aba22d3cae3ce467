"""The demo's managers' profiles, drawn from the Northwind sample's sales people, and a
proposal on the demo book: the head applies two moves, the new owner sees the accounts
and their hand-overs."""

from __future__ import annotations

from datetime import date

from kam.domain.classes import AbcClass
from kam.domain.user import Role, User
from kam.services import handovers, managers, proposals, users
from kam.services.access import scope_for
from kam.services.book import Book


def _head(book: Book) -> User:
    return next(user for user in users.list_users(book) if user.role is Role.HEAD)


def test_the_sample_s_sales_people_have_profiles_from_their_titles_and_notes(
    demo_book: Book,
) -> None:
    found = {m.profile.name: m.profile for m in managers.profiles_of(demo_book, _head(demo_book))}
    assert len(found) == 9
    laura = found["laura.callahan"]  # Inside Sales Coordinator, hired 1994-03-05, USA
    assert (laura.level, laura.years, laura.classes) == (1, 4, {AbcClass.B, AbcClass.C})
    assert laura.languages == {"en", "fr"}  # "She reads and writes French."
    assert laura.capacity == 15.0
    andrew = found["andrew.fuller"]  # "fluent in French and Italian and reads German"
    assert (andrew.level, andrew.languages) == (3, {"de", "en", "fr", "it"})
    assert {"Eastern", "USA"} <= andrew.regions  # his territories' region, his country
    assert found["michael.suyama"].languages == {"en", "es", "fr", "ja", "pt"}
    assert found["steven.buchanan"].regions >= {"Eastern", "UK"}


def test_the_head_applies_two_moves_and_the_new_owners_see_their_accounts(
    demo_copy: Book,
) -> None:
    head = _head(demo_copy)
    proposal = proposals.propose_for_book(demo_copy, head)
    assert proposal.moves and proposal.total_fit_after > proposal.total_fit_before
    profiles = {m.profile.name: m.profile for m in managers.profiles_of(demo_copy, head)}
    for move in proposal.moves:
        assert move.klass in profiles[move.to_manager].classes
    chosen = [m.client for m in proposal.moves[:2]]
    done = handovers.apply_proposal(demo_copy, head, proposal, chosen, on=date(2026, 12, 7))
    for applied, move in zip(done, proposal.moves[:2], strict=True):
        new_owner = users.get_user(demo_copy, move.to_manager)
        assert new_owner is not None
        assert scope_for(demo_copy, new_owner).allows(move.client)
        assert applied.hand_over.client_key in {
            h.client_key for h in handovers.hand_overs_of(demo_copy, new_owner)
        }
