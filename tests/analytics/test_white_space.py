"""White space: what the peers buy and the client does not, ranked by the value to the peers."""

from __future__ import annotations

from typing import Any

from kam.analytics.engine import Engine
from kam.analytics.white_space import WHITE_SPACE_COLUMNS, compute_white_space
from tests.conftest import make_frame

SCHEMA = {"client_id": "string", "product_id": "string", "amount": "bigint"}


def _line(client: str | None, product: str | None, amount: int) -> dict[str, Any]:
    return {"client_id": client, "product_id": product, "amount": amount}


# The client is "me"; its peers are p1, p2, p3 and p4 (p4 bought nothing at all).
LINES = [
    _line("me", "tea", 500),
    _line("me", "cheese", 300),
    _line("me", "cheese", -300),  # returned: cheese nets to 0, so "me" does not buy it
    _line("p1", "tea", 9_000),  # "me" buys tea: never white space
    _line("p1", "coffee", 1_000),
    _line("p1", "coffee", 500),
    _line("p2", "coffee", 2_000),
    _line("p2", "cheese", 1_200),
    _line("p3", "cheese", 3_500),
    _line("p3", "bread", 800),
    _line("p3", "bread", -800),  # p3 nets bread to 0: not a buyer
    _line("p2", "wine", 4_000),
    _line("p2", "wine", -500),
    _line("other", "caviar", 99_000),  # not a peer
    _line("p1", None, 7_000),  # a line without a product
]


def white_space(engine: Engine, peers: list[str], count: int) -> list[dict[str, Any]]:
    lines = make_frame(engine, LINES, SCHEMA)
    group = make_frame(engine, [{"client_id": p} for p in peers], {"client_id": "string"})
    frame = compute_white_space(lines, "me", group, count)
    assert tuple(frame.collect_schema().names()) == WHITE_SPACE_COLUMNS
    rows: list[dict[str, Any]] = frame.collect(backend="pyarrow").to_native().to_pylist()
    return rows


def test_the_products_the_peers_buy_and_the_client_does_not_by_peer_value(
    engine: Engine,
) -> None:
    # cheese: p2 1,200 + p3 3,500 = 4,700 from 2 of 4 peers; the client returned its cheese.
    # coffee: p1 1,500 + p2 2,000 = 3,500 from 2 of 4; wine: p2 4,000 - 500 = 3,500 from 1.
    # Coffee and wine tie on value; coffee has more buyers. Tea is bought by the client;
    # bread nets to 0 at p3; caviar is bought by no peer.
    assert white_space(engine, ["p1", "p2", "p3", "p4", "me"], 4) == [
        {"product_id": "cheese", "peer_value": 4_700, "buyers": 2, "buyer_share": 0.5},
        {"product_id": "coffee", "peer_value": 3_500, "buyers": 2, "buyer_share": 0.5},
        {"product_id": "wine", "peer_value": 3_500, "buyers": 1, "buyer_share": 0.25},
    ]


def test_a_smaller_peer_group_gives_its_own_ranking(engine: Engine) -> None:
    assert white_space(engine, ["p3", "p3"], 1) == [
        {"product_id": "cheese", "peer_value": 3_500, "buyers": 1, "buyer_share": 1.0},
    ]


def test_no_peers_no_white_space(engine: Engine) -> None:
    assert white_space(engine, ["nobody"], 0) == []
