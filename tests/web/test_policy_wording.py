"""The policy stored with a run (English) is worded at display time in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services.wording import policy_text

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}


@pytest.fixture
def head(login: Callable[[str], TestClient]) -> TestClient:
    """The head of key accounts, logged in."""
    return login("head")


def test_the_stored_policy_is_worded_with_the_language_s_numbers_and_measure() -> None:
    assert policy_text("pareto 0.8,0.95 by revenue") == "pareto 0.8/0.95 by revenue"
    assert policy_text("count 0.2,0.5 by margin") == "count 0.2/0.5 by margin"
    assert policy_text("computed by revenue") == "computed by revenue"
    assert policy_text("a policy of a newer version") == "a policy of a newer version"
    with use_language(language("pl")):
        pareto = policy_text("pareto 0.8,0.95 by revenue")
        computed = policy_text("computed by margin")
    assert "0,8/0,95" in pareto and "przychód" in pareto and "revenue" not in pareto
    assert "marża" in computed and "margin" not in computed


def test_the_portfolio_words_the_run_s_policy_in_the_reader_s_language(head: TestClient) -> None:
    english = head.get("/", headers=ENGLISH).text
    assert "pareto 0.8/0.95 by revenue" in english
    polish = head.get("/", headers=POLISH).text
    assert "by revenue" not in polish and "0.8,0.95" not in polish
    assert "0,8/0,95" in polish and "przychód" in polish


def test_the_bubbles_page_words_the_potential_classes_policy_in_the_reader_s_language(
    head: TestClient,
) -> None:
    english = head.get("/portfolio/bubbles", headers=ENGLISH).text
    assert "pareto: A below 80% of value, B below 95%" in english
    polish = head.get("/portfolio/bubbles", headers=POLISH).text
    assert "Pareto: A poniżej 80% wartości, B poniżej 95%" in polish
    assert "pareto:" not in polish and "of value" not in polish
