"""Who may own a plan or its items: the active users who may see the client."""

from __future__ import annotations

import pytest

from kam.services import owners, user_admin, users
from kam.services.book import Book
from kam.store.database import transaction


def test_the_owners_of_a_client_are_the_active_users_who_may_see_it(book: Book) -> None:
    # ACME is ann's, and vera (a viewer) was granted it; hedda is the head; BETA is bob's
    assert [u.name for u in owners.owner_choices(book, "ACME")] == ["ann", "hedda", "vera"]
    assert [u.name for u in owners.owner_choices(book, "BETA")] == ["bob", "hedda"]
    users.assign(book, "ACME", "bob")
    assert [u.name for u in owners.owner_choices(book, "ACME")] == ["ann", "bob", "hedda", "vera"]
    user_admin.deactivate_user(book, "ann")
    assert [u.name for u in owners.owner_choices(book, "ACME")] == ["bob", "hedda", "vera"]


def test_a_name_that_is_not_such_a_user_is_refused_unless_it_is_the_owner_kept(
    book: Book,
) -> None:
    with transaction(book.database) as session:
        assert owners.check_owner(session, "ACME", " ann ") == "ann"
        assert owners.check_owner(session, "ACME", "") is None
        # an owner typed freely in an older book stays while it is not changed
        assert owners.check_owner(session, "ACME", "Ann from sales", "Ann from sales") == (
            "Ann from sales"
        )
        for name in ("Ann from sales", "bob", "nobody<script>"):
            with pytest.raises(owners.NotAUserError) as refused:
                owners.check_owner(session, "ACME", name, field="owner")
            assert refused.value.field == "owner"
            assert repr(name) in str(refused.value)
