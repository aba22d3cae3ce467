"""``kam policy show|set|clear`` on a small book: ALFKI (the manager's, 90% of the sales of
2023) classified A today, never contacted, so every contact its class owes is due today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.books import add_sales_rows
from tests.cli.test_imports_cli import kam
from tests.web.small_book import small_book


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    book = small_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": "ALFKI", "date": date(2023, 3, 1), "amount": 90_000},
            {"client_id": "BONAP", "date": date(2023, 3, 1), "amount": 10_000},
        ],
    )
    book.close()
    monkeypatch.setenv("KAM_USER", "head")
    return str(tmp_path / "book")


def test_the_head_previews_sets_and_shows_a_class_s_policy(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    kam(capsys, "classify", "--period", "2023", "--data-dir", data_dir)
    out, _ = kam(capsys, "policy", "show", "--data-dir", data_dir)
    assert out.splitlines() == [
        "A: visit every 30 days by owner; business_review every 3 months by head; "
        "offer every 90 days by owner; event_invitation every 6 months by owner  (kam's default)",
        "B: visit every 60 days by owner  (kam's default)",
        "C: call every 180 days by owner  (kam's default)",
    ]
    out, _ = kam(capsys, "policy", "set", "A", "none", "--dry-run", "--data-dir", data_dir)
    assert out.splitlines() == [
        "Clients of class A due or overdue today: 1 under the policy in force, 0 under this one.",
        "Nothing saved (--dry-run).",
    ]
    out, _ = kam(
        capsys, "policy", "set", "a", "visit every 2 weeks; call every 1 week by head",
        "--data-dir", data_dir,
    )  # fmt: skip
    assert out.splitlines()[-1] == (
        "Saved: the policy of class A is visit every 2 weeks by owner; call every 1 week by head."
    )
    out, _ = kam(capsys, "policy", "show", "--data-dir", data_dir)
    assert out.splitlines()[0].startswith(
        "A: visit every 2 weeks by owner; call every 1 week by head  (set by head on "
    )
    _, err = kam(
        capsys, "policy", "set", "B", "lunch every 2 weeks", "--data-dir", data_dir, status=2
    )
    assert "'lunch' is not a kind of activity of this book" in err


def test_a_client_s_own_policy_needs_a_reason_and_is_shown_and_cleared(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    args = ("policy", "set", "--client", "ALFKI", "call every 1 week", "--data-dir", data_dir)
    _, err = kam(capsys, *args, status=2)
    assert "--reason" in err
    out, _ = kam(capsys, *args, "--reason", "Tender this summer")
    assert out == (
        "ALFKI follows its own policy: call every 1 week by owner (Tender this summer).\n"
    )
    out, _ = kam(capsys, "policy", "show", "--client", "ALFKI", "--data-dir", data_dir)
    first, rules = out.splitlines()
    assert first.startswith("ALFKI follows its own policy (set by head on ")
    assert first.endswith(": Tender this summer):") and rules == "call every 1 week by owner"
    out, _ = kam(capsys, "policy", "clear", "--client", "ALFKI", "--data-dir", data_dir)
    assert out == "ALFKI follows its class's policy again.\n"
    out, _ = kam(capsys, "policy", "show", "--client", "ALFKI", "--data-dir", data_dir)
    assert out == "ALFKI holds no class and has no policy of its own: nothing is owed.\n"


def test_a_manager_may_not_change_the_policies(
    capsys: pytest.CaptureFixture[str], data_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_USER", "manager")
    _, err = kam(
        capsys, "policy", "set", "B", "visit every 30 days", "--data-dir", data_dir, status=2
    )
    assert "only the head of key accounts and admins change the service policies" in err
    args = ("policy", "set", "--client", "ALFKI", "call every 1 week", "--reason", "x")
    _, err = kam(capsys, *args, "--data-dir", data_dir, status=2)
    assert "only the head of key accounts and admins" in err
