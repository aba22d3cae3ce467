"""``kam portfolio`` on the illustrative demo files, and its errors on bad score files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kam.cli import main
from tests.conftest import SAMPLES

DEMO = SAMPLES / "portfolio"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code: int | str | None = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return int(code or 0), captured.out, captured.err


def test_the_demo_clients_fall_in_the_hand_worked_quadrants(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "portfolio",
        "--attractiveness",
        str(DEMO / "attractiveness.csv"),
        "--strength",
        str(DEMO / "strength.csv"),
        "--format",
        "csv",
    )
    assert code == 0, err
    got = {r["client_id"]: r for r in csv.DictReader(io.StringIO(out))}
    # 599: attractiveness .35x9 + .25x7 + .25x5 + .15x7 = 7.2; strength us .5x8 + .5x9 = 8.5
    #      against Competitor X .5x7 + .5x6 = 6.5: 1.31 -> Strategic.
    # 193: 7.85; us .3x5 + .4x6 + .3x7 = 6.0 against X 7.3 (Y 7.1): 0.82 -> Star.
    # 546: 4.3, 8.5 / 6.5 -> Status. 697: 4.2, us 4.4 against Y 6.6 -> Streamline.
    assert {c: r["quadrant"] for c, r in got.items()} == {
        "85": "Strategic",
        "105": "",
        "193": "Star",
        "546": "Status",
        "599": "Strategic",
        "697": "Streamline",
    }
    assert float(got["599"]["attractiveness"]) == pytest.approx(7.2)
    assert float(got["193"]["relative_strength"]) == pytest.approx(6.0 / 7.3)
    assert got["193"]["best_competitor"] == "Competitor X"
    assert "no competitor is scored" in got["105"]["reason"]


def write_strength(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "strength.csv"
    path.write_text("client_id,criterion,weight,supplier,score\n" + body)
    return path


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            "c1,price,0.5,us,7\nc1,price,0.5,rival,11\n",
            "row 3, column 'score': '11' is not a score from 1 to 10",
        ),
        ("c1,price,-0.5,us,7\n", "row 2, column 'weight': '-0.5' is not a positive weight"),
        ("c1,price,0.5,us,\n", "row 2, column 'score': empty; expected a score from 1 to 10"),
        (
            "c1,price,0.5,us,7\nc1,price,0.6,rival,6\n",
            "row 3, column 'weight': weight 0.6 differs from the weight 0.5 given at row 2",
        ),
    ],
)
def test_a_bad_score_file_is_one_line_naming_file_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, where: str
) -> None:
    strength = write_strength(tmp_path, body)
    code, _, err = run(
        capsys,
        "portfolio",
        "--attractiveness",
        str(DEMO / "attractiveness.csv"),
        "--strength",
        str(strength),
    )
    assert code == 2
    assert err.startswith(f"kam: error: {strength}, {where}")
    assert err.count("\n") == 1


def test_a_file_without_a_client_id_column_names_the_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    attractiveness = tmp_path / "attractiveness.csv"
    attractiveness.write_text("account,factor,weight,score\nc1,volume,1,5\n")
    code, _, err = run(
        capsys,
        "portfolio",
        "--attractiveness",
        str(attractiveness),
        "--strength",
        str(DEMO / "strength.csv"),
    )
    assert code == 2
    assert err.startswith(f"kam: error: {attractiveness}, row 1, column 'client_id': no such")


def test_our_supplier_name_must_appear_in_the_strength_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys,
        "portfolio",
        "--attractiveness",
        str(DEMO / "attractiveness.csv"),
        "--strength",
        str(DEMO / "strength.csv"),
        "--us",
        "Us Ltd",
    )
    assert code == 2
    assert "no scores for our supplier 'Us Ltd'" in err
