"""The reporting lines of a client's people laid out as a tree, for drawing.

People without a manager (or whose manager is not among them) are at the top;
each person's reports are one layer below. The layout is *tidy*: every person
without reports takes the next free column, and a manager stands centred over
its first and last report, so no two people share a place and no lines cross.
A loop in the reporting lines (A reports to B, B to A) is cut at the person
met first, who is then drawn at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TreeNode:
    """One person's place: ``depth`` (0 at the top) and ``column`` (may be a half)."""

    key: str
    depth: int
    column: float
    parent: str | None


@dataclass(frozen=True)
class TreeLayout:
    """The places of everyone, in drawing order, and the size of the grid."""

    nodes: tuple[TreeNode, ...]
    columns: int
    depth: int

    def node(self, key: str) -> TreeNode:
        """The place of one person."""
        return next(n for n in self.nodes if n.key == key)


def layout_tree(people: Sequence[tuple[str, str | None]]) -> TreeLayout:
    """Places for ``(key, reports_to)`` pairs, children in the order given.

    Examples
    --------
    A manager over two reports, and a person on their own:

    >>> tree = layout_tree([("boss", None), ("a", "boss"), ("b", "boss"), ("solo", None)])
    >>> [(n.key, n.depth, n.column) for n in tree.nodes]
    [('boss', 0, 0.5), ('a', 1, 0.0), ('b', 1, 1.0), ('solo', 0, 2.0)]
    >>> tree.columns, tree.depth
    (3, 2)
    """
    keys = [key for key, _ in people]
    known = set(keys)
    manager = {key: (boss if boss in known and boss != key else None) for key, boss in people}
    children: dict[str, list[str]] = {key: [] for key in keys}
    for key in keys:
        boss = manager[key]
        if boss is not None:
            children[boss].append(key)
    nodes: list[TreeNode] = []
    placed: set[str] = set()
    next_column = 0

    def place(key: str, depth: int, parent: str | None) -> float:
        nonlocal next_column
        placed.add(key)
        index = len(nodes)
        nodes.append(TreeNode(key, depth, 0.0, parent))
        columns = [place(child, depth + 1, key) for child in children[key] if child not in placed]
        if columns:
            column = (columns[0] + columns[-1]) / 2
        else:
            column = float(next_column)
            next_column += 1
        nodes[index] = TreeNode(key, depth, column, parent)
        return column

    for key in keys:
        if manager[key] is None:
            place(key, 0, None)
    for key in keys:  # people in a loop of reporting lines: the first met goes on top
        if key not in placed:
            place(key, 0, None)
    depth = 1 + max((n.depth for n in nodes), default=-1)
    return TreeLayout(tuple(nodes), next_column, depth)
