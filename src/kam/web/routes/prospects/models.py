"""What the prospects' API shows and takes: money in currency units, the store's cents / 100."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

from kam.domain.prospects import (
    Criterion,
    CriterionKind,
    Horizon,
    NextStep,
    Prospect,
    ProspectStatus,
)
from kam.i18n import gettext as _
from kam.services.prospects import ClientFacts, ProspectDetail, ProspectEntry
from kam.web.routes.plans.versions import patch_model, whole_model


def parse_amount(text: str) -> int | None:
    """An amount typed in a form (``250000`` or ``250000.50``) in cents; empty is ``None``.

    Examples
    --------
    >>> parse_amount(" 250000.5 "), parse_amount("")
    (25000050, None)
    """
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("{text!r} is not an amount").format(text=text)) from None
    if not value.is_finite():
        raise ValueError(_("{text!r} is not an amount").format(text=text))
    return int((value * 100).to_integral_value())


def amount(text: str) -> int | None:
    """An amount typed in a form, in cents (empty: ``None``), 0 or more."""
    cents = parse_amount(text)
    if cents is not None and cents < 0:
        raise ValueError(_("an amount is 0 or more"))
    return cents


class ProspectClientPublic(BaseModel):
    """What the prospect pages show of a client; money in currency units."""

    key: str
    name: str
    owner: str | None
    industry: str | None
    country: str | None
    employees: int | None
    annual_turnover: float | None
    potential: float | None
    value: float | None
    abc_class: str | None


class ProspectStepPublic(BaseModel):
    """A next step; ``horizon`` is null once it is done."""

    id: int
    action: str
    due: date
    who: str | None
    done_at: datetime | None
    horizon: Horizon | None


class ProspectAnswerPublic(BaseModel):
    """An answer to a criterion."""

    criterion_id: int
    value: int
    note: str


class QualificationCriterionPublic(BaseModel):
    """A qualification criterion."""

    id: int
    code: str | None
    title: str
    weight: int
    kind: CriterionKind
    active: bool


class ProspectPublic(BaseModel):
    """A prospect; ``potential`` is the client's, or our estimate without one."""

    client: ProspectClientPublic
    status: ProspectStatus
    source: str
    owner: str | None
    potential: float | None
    potential_estimate: float | None
    score: float | None
    qualified_potential: float
    rank: int | None
    drop_reason: str | None
    dropped_by: str | None
    dropped_at: datetime | None
    steps: list[ProspectStepPublic]
    answers: list[ProspectAnswerPublic]
    version: int


class ProspectsPublic(BaseModel):
    """The ranking of open and qualified prospects, the dropped and won ones, the candidates."""

    ranking: list[ProspectPublic]
    dropped: list[ProspectPublic]
    won: list[ProspectPublic]
    candidates: list[ProspectClientPublic]
    candidates_total: int
    threshold: float
    steps_by_horizon: dict[Horizon, int]


class ProspectPagePublic(BaseModel):
    """A client as a prospect: its record (null when not on the list), and the criteria."""

    client: ProspectClientPublic
    prospect: ProspectPublic | None
    candidate: bool
    editable: bool
    criteria: list[QualificationCriterionPublic]


class ProspectCreate(BaseModel):
    """A candidate to put on the prospect list."""

    client_key: str = Field(max_length=100)
    source: str = Field(default="", max_length=300)


class ProspectChange(BaseModel):
    """A prospect's source, owner, potential estimate (currency units) and status."""

    source: str = Field(default="", max_length=300)
    owner: str | None = Field(default=None, max_length=100)
    potential_estimate: float | None = Field(default=None, ge=0, le=1e15, allow_inf_nan=False)
    status: ProspectStatus = ProspectStatus.OPEN


ProspectUpdate = whole_model(
    ProspectChange, "ProspectUpdate", "A prospect's fields, every one given, to change it whole."
)
ProspectPatch = patch_model(
    ProspectChange, "ProspectPatch", "Some fields of a prospect, to change only those."
)


class ProspectAnswerUpdate(BaseModel):
    """An answer: 0 to 5 on a scale, 1 (yes) or 0 (no); null clears it."""

    criterion_id: int
    value: int | None
    note: str = Field(default="", max_length=2000)


class ProspectStepCreate(BaseModel):
    """A next step to add."""

    action: str = Field(max_length=2000)
    due: date
    who: str | None = Field(default=None, max_length=100)


class ProspectStepUpdate(BaseModel):
    """Whether a step is done (a PUT says so)."""

    done: bool


class ProspectDrop(BaseModel):
    """Why a prospect is dropped (required)."""

    reason: str = Field(max_length=2000)


class QualificationCriterionUpdate(BaseModel):
    """A criterion to change (``id``) or add (no ``id``); the kind is kept once set."""

    id: int | None = None
    label: str = Field(default="", max_length=200)
    weight: int = Field(ge=0, le=100)
    kind: CriterionKind = CriterionKind.SCALE
    active: bool = True


class QualificationPublic(BaseModel):
    """The criteria, and the value (currency units) up to which a client counts as a prospect."""

    criteria: list[QualificationCriterionPublic]
    threshold: float


class QualificationUpdate(BaseModel):
    """The criteria in their order, and the threshold (currency units)."""

    criteria: list[QualificationCriterionUpdate]
    threshold: float = Field(ge=0, le=1e15, allow_inf_nan=False)


def _money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def client_out(c: ClientFacts) -> ProspectClientPublic:
    """A client as the API shows it."""
    money = ("annual_turnover", "potential", "value")
    return ProspectClientPublic(**asdict(c) | {name: _money(getattr(c, name)) for name in money})


def criterion_out(c: Criterion) -> QualificationCriterionPublic:
    """A criterion as the API shows it, named in the language of the moment."""
    return QualificationCriterionPublic(**asdict(c) | {"title": c.title})


def _step(s: NextStep, today: date) -> ProspectStepPublic:
    return ProspectStepPublic(**asdict(s), horizon=s.horizon(today))


def _prospect(
    shown: ProspectEntry | ProspectDetail,
    p: Prospect,
    steps: list[NextStep],
    today: date,
    rank: int | None = None,
) -> ProspectPublic:
    return ProspectPublic(
        **asdict(p) | {"potential_estimate": _money(p.potential_estimate)},
        client=client_out(shown.client),
        potential=_money(shown.potential),
        score=shown.score,
        qualified_potential=shown.qualified_potential / 100,
        rank=rank,
        steps=[_step(s, today) for s in steps],
        answers=[ProspectAnswerPublic(**asdict(a)) for a in shown.answers.values()],
    )


def entry_out(e: ProspectEntry, today: date) -> ProspectPublic:
    """A prospect of the list, with its open steps."""
    return _prospect(e, e.prospect, e.open_steps, today, e.rank)


def detail_out(d: ProspectDetail) -> ProspectPagePublic:
    """A client as a prospect, with every step of its record."""
    found = d.prospect
    return ProspectPagePublic(
        client=client_out(d.client),
        prospect=None if found is None else _prospect(d, found, d.steps, d.today),
        candidate=d.candidate,
        editable=d.editable,
        criteria=[criterion_out(c) for c in d.criteria],
    )
