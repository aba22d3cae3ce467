"""``kam managers import|list`` and ``kam assign propose|apply|handovers|tick`` on the
team's small book, as its head, then as a manager."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_imports_cli import kam
from tests.conftest import SAMPLES
from tests.services.team import team_book


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    team_book(tmp_path / "book", None).close()
    monkeypatch.setenv("KAM_USER", "hedda")
    return str(tmp_path / "book")


def test_profiles_are_imported_and_listed_with_their_load(
    capsys: pytest.CaptureFixture[str], data_dir: str, tmp_path: Path
) -> None:
    file = tmp_path / "managers.csv"
    file.write_text(
        "user,level,classes,max_b,max_c,languages\nann,2,BC,3,30,en;pl\n", encoding="utf-8"
    )
    out, _ = kam(capsys, "managers", "import", str(file), "--data-dir", data_dir)
    assert out == "Profiles from managers.csv: 0 new, 1 changed.\n"
    out, _ = kam(capsys, "managers", "list", "--format", "csv", "--data-dir", data_dir)
    # 3 B clients at 2 points and 30 C clients at 0.2: 12 points, and each most kept
    assert out.splitlines() == [
        "user,years,level,classes,load,capacity,most,overloaded,industries,languages,regions",
        'ann,0,2,BC,5.2,12.0,B 3; C 30,,,"en, pl",',
        'bob,15,3,ABC,7.0,6.0,,yes,retail,"de, en, fr","France, Germany"',
    ]
    file.write_text("user,level,classes,capacity\nann,2,BC,lots\n", encoding="utf-8")
    _, err = kam(capsys, "managers", "import", str(file), "--data-dir", data_dir, status=2)
    assert err == (
        "kam: error: managers.csv, row 2, column 'capacity': 'lots' is not a number of "
        "points, or max_a, max_b, max_c\n"
    )


def test_the_head_proposes_applies_one_move_and_the_new_owner_sees_its_hand_over(
    capsys: pytest.CaptureFixture[str],
    data_dir: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, _ = kam(capsys, "assign", "propose", "--data-dir", data_dir)
    assert "Total fit: 1.35 before, 2.05 after." in out
    assert "Moves: 3; accounts left as they are: 0." in out
    assert "Overloads removed: bob" in out
    assert "C clients in no manager's region, left as they are: DELTA" in out
    out, _ = kam(capsys, "assign", "propose", "--format", "csv", "--data-dir", data_dir)
    assert out.splitlines()[1].startswith("ACME,Acme Corp,A,ann,bob,,0.90,industry: knows retail")
    proposal = tmp_path / "proposal.json"
    kam(
        capsys,
        "assign",
        "propose",
        "--format",
        "json",
        "--output",
        str(proposal),
        "--data-dir",
        data_dir,
    )
    assert [m["client"] for m in json.loads(proposal.read_text())["moves"]] == [
        "ACME",
        "BETA",
        "GAMMA",
    ]
    out, _ = kam(
        capsys,
        "assign",
        "apply",
        str(proposal),
        "--move",
        "ACME",
        "--on",
        "2024-06-11",
        "--data-dir",
        data_dir,
    )
    assert out == "ACME: from ann to bob (hand-over 1).\nHand-overs applied: 1.\n"

    monkeypatch.setenv("KAM_USER", "bob")
    out, _ = kam(capsys, "assign", "handovers", "--checklist", "--data-dir", data_dir)
    lines = out.splitlines()
    assert lines[2].split()[:6] == ["1", "ACME", "ann", "bob", "2024-06-11", "1/5"]
    assert "  1. [ ] introduce the new manager to the decision maker" in lines
    out, _ = kam(capsys, "assign", "tick", "1", "1", "--data-dir", data_dir)
    assert out == "Hand-over 1: 2 of 5 done.\n"
    _, err = kam(capsys, "assign", "propose", "--data-dir", data_dir, status=2)
    assert "only the head of key accounts and admins propose and apply" in err


def test_applying_a_file_that_is_no_proposal_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: str, tmp_path: Path
) -> None:
    file = tmp_path / "proposal.json"
    file.write_text('{"moves": 3}', encoding="utf-8")
    _, err = kam(capsys, "assign", "apply", str(file), "--data-dir", data_dir, status=2)
    assert err.startswith("kam: error: not a proposal of kam assign propose --format json")


def test_the_flags_say_who_holds_what_against_a_rule_and_who_is_overloaded(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    out, _ = kam(capsys, "assign", "flags", "--data-dir", data_dir)
    assert out == (
        "ACME (class A) is held by ann, who does not speak de.\n"
        "bob carries 7 points for a capacity of 6.\n"
    )


def test_the_value_at_risk_needs_a_history_long_enough_to_fit_the_model(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    _, err = kam(capsys, "assign", "propose", "--at-risk", "--data-dir", data_dir, status=2)
    assert err.startswith("kam: error: the book's history is too short to fit the model")


def test_the_adventureworks_sales_people_are_written_as_a_profiles_file_or_imported(
    capsys: pytest.CaptureFixture[str], data_dir: str, tmp_path: Path
) -> None:
    folder = str(SAMPLES / "adventureworks")
    output = tmp_path / "sales-people.csv"
    out, _ = kam(
        capsys, "managers", "import", folder, "--from", "adventureworks", "--output", str(output)
    )
    assert out == f"17 sales people written to {output}.\n"
    rows = output.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("user,years,level,classes,capacity,") and len(rows) == 18
    # the team's book has none of them as a user: nothing kept, each named
    out, _ = kam(
        capsys, "managers", "import", folder, "--from", "adventureworks", "--data-dir", data_dir
    )
    assert out.startswith("Profiles from adventureworks: 0 new, 0 changed.\n")
    assert "Not users of the book, so without a profile: amy.alberts, david.campbell," in out
    _, err = kam(capsys, "managers", "import", folder, "--data-dir", data_dir, status=2)
    assert "adventureworks is a folder: give a profiles file, or --from adventureworks" in err
