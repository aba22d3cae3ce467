"""How concentrated a book is: top-n share and the Herfindahl-Hirschman index."""

from __future__ import annotations

from collections.abc import Iterable


def compute_herfindahl_hirschman_index(values: Iterable[float]) -> float:
    """The Herfindahl-Hirschman index of client shares, in points from 0 to 10,000.

    The sum of the squared percentage shares of all clients: 10,000 when one
    client holds everything, 10,000 / n for n equal clients. Negative values
    count as 0.

    Examples
    --------
    >>> compute_herfindahl_hirschman_index([50, 30, 20])
    3800.0
    >>> compute_herfindahl_hirschman_index([1, 1, 1, 1])
    2500.0
    """
    cleaned = [max(float(v), 0.0) for v in values]
    total = sum(cleaned)
    if total == 0:
        return 0.0
    return sum((100.0 * v / total) ** 2 for v in cleaned)


def compute_top_share(values: Iterable[float], n: int = 10) -> float:
    """The share of all value held by the ``n`` largest clients.

    Examples
    --------
    >>> compute_top_share([50, 20, 10, 8, 5, 4, 2, 1], n=2)
    0.7
    """
    cleaned = sorted((max(float(v), 0.0) for v in values), reverse=True)
    total = sum(cleaned)
    return sum(cleaned[:n]) / total if total else 0.0
