"""The reporting lines laid out as a tree, worked by hand."""

from __future__ import annotations

from kam.domain.people_tree import layout_tree


def places(people: list[tuple[str, str | None]]) -> dict[str, tuple[int, float, str | None]]:
    return {n.key: (n.depth, n.column, n.parent) for n in layout_tree(people).nodes}


def test_a_manager_stands_centred_over_its_first_and_last_report() -> None:
    # ceo ─┬─ cfo ── clerk            clerk takes column 0, the developers 1, 2, 3;
    #      └─ cto ─┬─ dev1, dev2, dev3  cto is over 1..3 (2), ceo over cfo..cto (0..2: 1)
    people = [
        ("ceo", None),
        ("cfo", "ceo"),
        ("cto", "ceo"),
        ("clerk", "cfo"),
        ("dev1", "cto"),
        ("dev2", "cto"),
        ("dev3", "cto"),
    ]
    assert places(people) == {
        "ceo": (0, 1.0, None),
        "cfo": (1, 0.0, "ceo"),
        "clerk": (2, 0.0, "cfo"),
        "cto": (1, 2.0, "ceo"),
        "dev1": (2, 1.0, "cto"),
        "dev2": (2, 2.0, "cto"),
        "dev3": (2, 3.0, "cto"),
    }
    tree = layout_tree(people)
    assert (tree.columns, tree.depth) == (4, 3)
    assert [n.key for n in tree.nodes] == ["ceo", "cfo", "clerk", "cto", "dev1", "dev2", "dev3"]


def test_people_whose_manager_is_unknown_are_at_the_top_in_the_order_given() -> None:
    assert places([("a", "gone"), ("b", None), ("c", "b")]) == {
        "a": (0, 0.0, None),
        "b": (0, 1.0, None),
        "c": (1, 1.0, "b"),
    }


def test_a_loop_in_the_reporting_lines_is_cut_at_the_person_met_first() -> None:
    # x reports to y and y to x; z to y: x goes on top, y under x, z under y.
    assert places([("x", "y"), ("y", "x"), ("z", "y")]) == {
        "x": (0, 0.0, None),
        "y": (1, 0.0, "x"),
        "z": (2, 0.0, "y"),
    }


def test_an_empty_map_has_no_places() -> None:
    tree = layout_tree([])
    assert (tree.nodes, tree.columns, tree.depth) == ((), 0, 0)


def test_no_two_people_share_a_place() -> None:
    people: list[tuple[str, str | None]] = [
        (f"p{i}", f"p{(i - 1) // 3}" if i else None) for i in range(40)
    ]
    spots = [(n.depth, n.column) for n in layout_tree(people).nodes]
    assert len(spots) == len(set(spots)) == 40
