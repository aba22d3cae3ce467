"""The offer part of a plan: needs, the fit of our offer, strengths, the verdict, white space.

Every read checks the plan with :func:`kam.services.plans.readable_plan`,
every change with :func:`kam.services.plans.editable_plan`, and records who
changed the plan with :func:`kam.services.plans.touch`.

The white space compares the client with its *peers*: the other clients of
the book in the same class (in the latest classification of single
clients), the same industry or the same size band. The peers are every
such client of the book, whoever looks after them: the page shows only
totals per product, never who the peers are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from kam.analytics.engine import engine_session
from kam.analytics.white_space import compute_white_space
from kam.domain.offer import (
    NEED,
    OFFER_POINT,
    OFFERING,
    Fit,
    Need,
    Offering,
    OfferingKind,
    OfferPoint,
    OfferVerdict,
    PeerGroup,
    PointKind,
    Verdict,
    best_fit,
    compute_coverage,
    gaps,
    size_band,
)
from kam.domain.plan import AccountPlan
from kam.domain.product import Product
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.services.plans.items import PlanEdit
from kam.store import prospects as facts_store
from kam.store import records
from kam.store.database import transaction
from kam.store.plans import offer as store

__all__ = [
    "NeedFit",
    "OfferError",
    "OfferView",
    "WhiteSpace",
    "WhiteSpaceProduct",
    "add_need",
    "add_offering",
    "add_point",
    "delete_need",
    "delete_offering",
    "offer_of_plan",
    "save_need",
    "save_offering",
    "set_fits",
    "set_verdict",
    "update_need",
    "white_space",
]


@dataclass(frozen=True)
class WhiteSpaceProduct:
    """A product the peers buy and the client does not (money in cents)."""

    product_key: str
    name: str
    group: str | None
    peer_value: int | None
    buyers: int
    buyer_share: float | None


@dataclass(frozen=True)
class WhiteSpace:
    """The white space of a client against one peer group.

    ``group_value`` is what the peers share (a class, an industry, a size
    band); ``None`` when the client has none, and then there are no peers.
    ``total`` counts every product of the white space, ``products`` holds
    the first of them.
    """

    peers: PeerGroup
    group_value: str | None
    peer_count: int
    total: int
    products: list[WhiteSpaceProduct]
    withheld: bool = False


#: The fewest peers whose white space is shown to a user who does not see every peer:
#: fewer, and a product's total would tell what one other client buys.
MIN_PEERS = 5
#: The fewest buyers of a product whose peers' value is shown to such a user.
MIN_BUYERS = 3


@dataclass(frozen=True)
class NeedFit:
    """A need with the fit of each offering (by offering id) and the best of them."""

    need: Need
    fits: dict[int, Fit]
    best: Fit


@dataclass(frozen=True)
class OfferView:
    """Everything the offer part of a plan shows.

    ``coverage`` is the importance-weighted share of the needs solved
    (:func:`kam.domain.offer.compute_coverage`); ``gaps`` the needs no
    offering solves.
    """

    plan: AccountPlan
    needs: list[NeedFit]
    offerings: list[Offering]
    coverage: float | None
    gaps: list[Need]
    strengths: list[OfferPoint]
    weaknesses: list[OfferPoint]
    verdict: OfferVerdict | None
    white_space: WhiteSpace
    products: list[Product]


def _peer_keys(
    facts: list[facts_store.ClientFacts], client_key: str, peers: PeerGroup
) -> tuple[str | None, list[str]]:
    target = next((f for f in facts if f.key == client_key), None)
    if target is None:
        return None, []

    def group_of(f: facts_store.ClientFacts) -> str | None:
        if peers is PeerGroup.CLASS:
            return f.abc_class
        if peers is PeerGroup.INDUSTRY:
            return f.industry.strip().casefold() if f.industry and f.industry.strip() else None
        band = size_band(f.employees, f.annual_turnover)
        return None if band is None else band.value

    value = group_of(target)
    if value is None:
        return None, []
    shown: str | None = value
    if peers is PeerGroup.INDUSTRY:
        shown = (target.industry or "").strip()
    return shown, [f.key for f in facts if f.key != client_key and group_of(f) == value]


def white_space(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    peers: PeerGroup = PeerGroup.CLASS,
    limit: int = 50,
) -> WhiteSpace:
    """The products the client's peers buy and it does not, the most valuable to them first.

    The peers are drawn from the whole book, since one manager's own clients
    are too few to compare with; only totals per product are shown. A user
    who does not see every peer gets no white space from fewer than
    :data:`MIN_PEERS` peers, and no value for a product fewer than
    :data:`MIN_BUYERS` of them buy, so that no other client's purchases can
    be read from it.

    Raises :class:`LookupError` for a client the user may not see.
    """
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    scope.require(client_key)
    with transaction(book.database) as session:
        run = facts_store.latest_single_run(session)
        facts = facts_store.client_facts(session, run)
        files = book.sales.files(session)
        products = {p.key: p for p in records.list_all(session, Product)}
    group_value, keys = _peer_keys(facts, client_key, peers)
    hidden = not all(scope.allows(key) for key in keys)
    if hidden and 0 < len(keys) < MIN_PEERS:
        return WhiteSpace(peers, group_value, len(keys), 0, [], withheld=True)
    if not keys or not files:
        return WhiteSpace(peers, group_value, len(keys), 0, [])
    import pyarrow as pa

    with engine_session("duckdb") as engine:
        lines = engine.frame_from_parquet_files(files)
        group = engine.frame_from_duckdb(engine.duckdb.from_arrow(pa.table({"client_id": keys})))
        table = compute_white_space(lines, client_id=client_key, peers=group, peer_count=len(keys))
        rows: list[dict[str, Any]] = table.collect(backend="pyarrow").to_native().to_pylist()
    found = [
        WhiteSpaceProduct(
            product_key=r["product_id"],
            name=products[r["product_id"]].name if r["product_id"] in products else r["product_id"],
            group=products[r["product_id"]].group if r["product_id"] in products else None,
            peer_value=None if hidden and r["buyers"] < MIN_BUYERS else int(r["peer_value"]),
            buyers=int(r["buyers"]),
            buyer_share=r["buyer_share"],
        )
        for r in rows
    ]
    return WhiteSpace(peers, group_value, len(keys), len(found), found[:limit])


def offer_of_plan(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    peers: PeerGroup = PeerGroup.CLASS,
) -> OfferView:
    """The offer part of a plan, as its page and the exports show it."""
    plan = plans.readable_plan(book, user, plan_id)
    with transaction(book.database) as session:
        needs = store.NEEDS.items_of(session, plan_id)
        offerings = store.OFFERINGS.items_of(session, plan_id)
        fits = store.fits_of(session, plan_id)
        points = store.POINTS.items_of(session, plan_id)
        verdict = store.verdict_of(session, plan_id)
        products = records.list_all(session, Product)
    ids = [o.id for o in offerings]
    return OfferView(
        plan=plan,
        needs=[
            NeedFit(
                n,
                {o: fits.get((n.id, o), Fit.NOT) for o in ids},
                best_fit(n.id, ids, fits),
            )
            for n in needs
        ],
        offerings=offerings,
        coverage=compute_coverage(needs, ids, fits),
        gaps=gaps(needs, ids, fits),
        strengths=[p for p in points if p.kind is PointKind.STRENGTH],
        weaknesses=[p for p in points if p.kind is PointKind.WEAKNESS],
        verdict=verdict,
        white_space=white_space(book, user, plan.client_key, peers),
        products=sorted(products, key=lambda p: (p.name.casefold(), p.key)),
    )


# --- changes

#: A change the offer part cannot take (a bad value).
OfferError = plans.PlanError


def save_need(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    need_id: int | None,
    *,
    title: str,
    importance: int,
    description: str = "",
    now: datetime | None = None,
) -> Need:
    """Add a need or problem of the client (``need_id`` of ``None``) or change one, with its
    importance (1 to 5); :class:`LookupError` for a need of another plan."""
    values = {"title": title, "importance": importance, "description": description}
    return plan_items.save_item(book, user, plan_id, NEED, need_id, values, now)


#: Add a need or problem of the client (:func:`save_need` of no need yet).
add_need = partial(save_need, need_id=None)
#: Change a need (:func:`save_need` of the need's id).
update_need = save_need


def delete_need(
    book: Book, user: User | ClientScope, plan_id: int, need_id: int, now: datetime | None = None
) -> None:
    """Remove a need and its fits; :class:`LookupError` for a need of another plan."""
    plan_items.remove_item(book, user, plan_id, NEED, need_id, now)


def save_offering(edit: PlanEdit, values: Mapping[str, Any]) -> Offering:
    """Weigh one of the book's products (``product_key``) or a service of ours (``service``)
    against the needs of the plan being changed.

    Raises :class:`OfferError` unless exactly one is given, or for an unknown product.
    """
    checked = plan_items.check_item(OFFERING, values)
    product_key, service = checked["product_key"], checked["service"]
    if (product_key is None) == (service is None):
        raise OfferError(_("name either one of our products or a service"))
    kind, name = OfferingKind.SERVICE, service
    if product_key is not None:
        product = records.get(edit.session, Product, product_key)
        if product is None:
            raise OfferError(_("no product {key} in the book").format(key=product_key))
        kind, name = OfferingKind.PRODUCT, product.name
    stored = {"kind": kind, "product_key": product_key, "name": name}
    return store.OFFERINGS.save(edit.session, edit.plan.id, None, stored, edit.now, edit.by)


def add_offering(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    *,
    product_key: str | None = None,
    service: str | None = None,
    now: datetime | None = None,
) -> Offering:
    """Weigh one of the book's products (by key) or a service of ours (by name) against the
    needs (see :func:`save_offering`)."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        return save_offering(edit, {"product_key": product_key, "service": service})


def delete_offering(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    offering_id: int,
    now: datetime | None = None,
) -> None:
    """Remove an offering and its fits; :class:`LookupError` for one of another plan."""
    plan_items.remove_item(book, user, plan_id, OFFERING, offering_id, now)


def set_fits(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    fits: Mapping[tuple[int, int], Fit],
    now: datetime | None = None,
) -> int:
    """Set the fit of (need id, offering id) pairs; returns how many changed.

    Raises :class:`LookupError` for a need or offering of another plan.
    """
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        return sum(
            store.set_fit(edit.session, plan_id, need, offering, fit, edit.now, edit.by)
            for (need, offering), fit in fits.items()
        )


def add_point(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    kind: PointKind,
    text: str,
    now: datetime | None = None,
) -> OfferPoint:
    """Add a strength or weakness of our offer for this client."""
    values = {"kind": kind, "text": text}
    return plan_items.save_item(book, user, plan_id, OFFER_POINT, None, values, now)


def set_verdict(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    verdict: Verdict,
    note: str = "",
    now: datetime | None = None,
) -> OfferVerdict:
    """Give the verdict: can the offer win the client (yes, with changes, no), with a note."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        note = note.replace("\x00", "").strip()
        if len(note) > 5000:
            raise OfferError(_("a note is at most 5,000 characters"))
        return store.set_verdict(edit.session, plan_id, verdict, note, edit.now, edit.by)
