"""The service policies: the head's settings page, one form per class, and a client's own
policy from the client's page.

The settings page is the head of key accounts' and admins' (403 for others, to read as to
change: its preview counts clients across the whole book). Each class's form lists its
rules (a kind of activity, an interval such as ``30 days`` or ``3 months``, owed by the
account manager or the head), a row to add one and a box to remove each; Preview shows
how many of the class's clients would have a contact due or overdue today, under the
policy in force and under the one typed, without saving; Save saves it. A client's own
policy is set or cleared from its page, with a reason, by the same people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kam.domain.cadence import (
    CadenceRule,
    Interval,
    Owed,
    ServicePolicy,
    policy_text,
)
from kam.domain.classes import AbcClass
from kam.domain.items import ItemValueError
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import service_policies as sp
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.activities import kinds_of
from kam.services.book import Book
from kam.web.auth import allow, client_scope
from kam.web.render import page
from kam.web.routes.clients import client_back, client_form
from kam.web.routes.week import LABELS, utc_now
from kam.web.typed import FORM_TEXT_LIMIT, form_text, refuse

router = APIRouter(tags=["settings"])
Head = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]
Scope = Annotated[ClientScope, Depends(client_scope)]
#: The most characters of an interval typed in the form.
INTERVAL_LIMIT = 40
#: The most characters of a policy typed whole (a client's own).
POLICY_LIMIT = 2000


@dataclass(frozen=True)
class RuleRow:
    """One rule as a form shows it: a kind, an interval and who owes it."""

    kind: str
    every: str
    by: str


@dataclass(frozen=True)
class RulePublic:
    """One rule of a policy: a kind of activity every ``every`` (``30 days``, ``3 months``),
    owed by ``owner`` (the account manager) or ``head``."""

    kind: str
    every: str
    by: str = "owner"


@dataclass(frozen=True)
class PolicyPublic:
    """A class's policy: its rules; ``updated_by`` is empty for the policy kam ships with."""

    abc_class: str
    rules: list[RulePublic]
    updated_by: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class PolicyUpdate:
    """The rules of a class's policy, every one (none: the class is owed nothing)."""

    rules: list[RulePublic]


@dataclass(frozen=True)
class OwnPolicyCreate:
    """A client's own policy, written as ``visit every 14 days by owner; ...``, and why."""

    policy: str
    reason: str


def _rows(policy: ServicePolicy) -> list[RuleRow]:
    return [RuleRow(r.kind, str(r.every), r.by.value) for r in policy.rules]


def _public(found: sp.ClassPolicy) -> PolicyPublic:
    rules = [RulePublic(r.kind, r.every, r.by) for r in _rows(found.policy)]
    return PolicyPublic(found.abc_class.value, rules, found.updated_by, found.updated_at)


def _rule(kind: str, every: str, by: str, kinds: Sequence[str], index: int | None) -> CadenceRule:
    """A rule as typed; a refusal naming the field of row ``index`` (``None``: no row)."""

    def field(name: str) -> str:
        return name if index is None else f"{name}-{index}"

    if not kind:
        raise ItemValueError(field("kind"), _("choose the kind of contact"))
    if kind not in kinds:
        raise ItemValueError(
            field("kind"),
            _("{kind!r} is not a kind of activity of this book ({kinds})").format(
                kind=kind, kinds=", ".join(kinds)
            ),
        )
    try:
        interval = Interval.parse(form_text(field("every"), every, INTERVAL_LIMIT))
    except ValueError as error:
        raise ItemValueError(field("every"), str(error)) from None
    if by not in {o.value for o in Owed}:
        raise ItemValueError(field("by"), _("by: expected owner or head, got {by!r}").format(by=by))
    return CadenceRule(kind, interval, Owed(by))


def _policy(rules: Sequence[tuple[int | None, CadenceRule]]) -> ServicePolicy:
    """The policy of ``rules``; a kind named twice is refused on its second row."""
    seen: set[str] = set()
    for index, rule in rules:
        if rule.kind in seen:
            name = "kind" if index is None else f"kind-{index}"
            raise ItemValueError(
                name, _("a policy names a kind of contact once: {kind}").format(kind=rule.kind)
            )
        seen.add(rule.kind)
    return ServicePolicy(tuple(rule for _index, rule in rules))


def _typed_rows(posted: Mapping[str, Sequence[str]]) -> list[tuple[RuleRow, bool]]:
    """The rows a class's form sent, in order, and whether each was ticked for removal."""
    rows = []
    index = 0
    while f"kind-{index}" in posted or f"every-{index}" in posted:

        def value(name: str, at: int = index) -> str:
            sent = posted.get(f"{name}-{at}") or [""]
            return sent[-1]

        rows.append(
            (RuleRow(value("kind"), value("every"), value("by") or "owner"), bool(value("remove")))
        )
        index += 1
    return rows


def _read_form(book: Book, typed: Sequence[tuple[RuleRow, bool]]) -> ServicePolicy:
    kinds = kinds_of(book)
    for index, (row, _removed) in enumerate(typed):  # a text too long, in any row, is refused
        form_text(f"every-{index}", row.every, INTERVAL_LIMIT)
    rules = []
    for index, (row, removed) in enumerate(typed):
        if removed or (not row.kind and not row.every.strip()):
            continue  # a rule removed, or the empty row left empty
        rules.append((index, _rule(row.kind, row.every, row.by, kinds, index)))
    return _policy(rules)


def _page(
    request: Request,
    *,
    typed: tuple[AbcClass, list[RuleRow]] | None = None,
    preview: sp.PolicyPreview | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    """The page; ``typed``, a class's form with these rows (refused: as sent, without the
    empty row to add one, which the rows sent hold already)."""
    book: Book = request.app.state.book
    forms = {found.abc_class: _rows(found.policy) for found in sp.class_policies(book)}
    if typed is not None:
        forms[typed[0]] = typed[1]
    return page(
        request,
        "service_policies.html",
        {
            "forms": forms,
            "kinds": kinds_of(book),
            "owed": [o.value for o in Owed],
            "policies": {found.abc_class: found for found in sp.class_policies(book)},
            "preview": preview,
            "message": message,
            "as_sent": typed[0] if typed is not None and status == 400 else None,
            **LABELS,
        },
        status=status,
    )


@router.get("/settings/service-policies", response_class=HTMLResponse, include_in_schema=False)
def policies_page(request: Request, _user: Head) -> Response:
    return _page(request)


@router.post(
    "/settings/service-policies/{abc_class}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def policy_submit(request: Request, user: Head, scope: Scope, abc_class: str) -> Response:
    """Preview (``do=preview``) or save a class's policy as typed; refused, the page again
    with the form as typed and the reason next to its field (400)."""
    book: Book = request.app.state.book
    if abc_class not in {c.value for c in AbcClass}:
        raise LookupError(abc_class)
    klass = AbcClass(abc_class)
    posted: Mapping[str, Sequence[str]] = getattr(request.state, "posted", None) or {}
    typed = _typed_rows(posted)
    previewing = (posted.get("do") or [""])[-1] == "preview"
    try:
        policy = _read_form(book, typed)
        if previewing:
            preview = sp.preview_policy(book, scope, klass, policy, utc_now().date())
            return _page(request, typed=(klass, _rows(policy)), preview=preview)
        sp.save_class_policy(book, scope, klass, policy, datetime.now())
    except ValueError as error:
        refuse(request, error)
        return _page(request, typed=(klass, [row for row, _removed in typed]), status=400)
    message = _("Saved: the policy of class {abc_class} is {policy}.").format(
        abc_class=klass.value, policy=policy_text(policy)
    )
    return _page(request, message=message)


@router.get("/api/service-policies", response_model=list[PolicyPublic])
def api_policies(request: Request, _user: Head) -> list[PolicyPublic]:
    """The service policy in force of each class (head of key accounts and admin)."""
    return [_public(found) for found in sp.class_policies(request.app.state.book)]


def _api_policy(book: Book, body: PolicyUpdate) -> ServicePolicy:
    kinds = kinds_of(book)
    try:
        return _policy([(None, _rule(r.kind, r.every, r.by, kinds, None)) for r in body.rules])
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def _api_class(abc_class: str) -> AbcClass:
    try:
        return sp.class_class(abc_class)
    except ValueError as error:
        raise HTTPException(404, str(error)) from None


@router.put("/api/service-policies/{abc_class}", response_model=PolicyPublic)
def api_save_policy(
    request: Request, _user: Head, scope: Scope, abc_class: str, body: PolicyUpdate
) -> PolicyPublic:
    """Set the service policy of a class (A, B or C), every rule given."""
    book: Book = request.app.state.book
    klass = _api_class(abc_class)
    saved = sp.save_class_policy(book, scope, klass, _api_policy(book, body), datetime.now())
    return _public(saved)


@router.post("/api/service-policies/{abc_class}/preview", response_model=sp.PolicyPreview)
def api_preview_policy(
    request: Request, _user: Head, scope: Scope, abc_class: str, body: PolicyUpdate
) -> sp.PolicyPreview:
    """How many clients of the class would have a contact due or overdue today under these
    rules, against the policy in force; nothing is saved."""
    book: Book = request.app.state.book
    klass = _api_class(abc_class)
    return sp.preview_policy(book, scope, klass, _api_policy(book, body), utc_now().date())


# --- a client's own policy


def _allowed(scope: ClientScope, key: str) -> None:
    scope.require(key)
    if not scope.can_manage_book:
        raise HTTPException(
            403, _("only the head of key accounts and admins change the service policies")
        )


@router.post("/clients/{key}/service-policy", include_in_schema=False)
def own_policy_submit(
    request: Request,
    scope: Scope,
    key: str,
    policy: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = "",
    reason: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = "",
) -> Response:
    """Give the client a policy of its own; refused, the client's page again with the form
    as typed and the reason next to its field (400)."""
    _allowed(scope, key)
    book: Book = request.app.state.book

    def change() -> None:
        text = form_text("policy", policy, POLICY_LIMIT)
        try:
            own = sp.read_policy(book, text)
        except ValueError as error:
            raise ItemValueError("policy", str(error)) from None
        why = form_text("reason", reason, sp.REASON_LIMIT)
        if not why:
            raise ItemValueError("reason", _("say why the client has a policy of its own"))
        sp.set_own_policy(book, scope, key, own, why, datetime.now())

    return client_form(request, scope, key, "service-policy", change)


@router.post("/clients/{key}/service-policy/clear", include_in_schema=False)
def own_policy_clear(request: Request, scope: Scope, key: str) -> Response:
    _allowed(scope, key)
    sp.clear_own_policy(request.app.state.book, scope, key)
    return client_back(key, "service-policy")


@router.put("/api/clients/{key}/service-policy", response_model=sp.AppliedPolicy)
def api_set_own_policy(
    request: Request, scope: Scope, key: str, body: OwnPolicyCreate
) -> sp.AppliedPolicy:
    """Give a client a policy of its own, with a reason (head of key accounts and admin)."""
    _allowed(scope, key)
    book: Book = request.app.state.book
    try:
        sp.set_own_policy(book, scope, key, sp.read_policy(book, body.policy), body.reason)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return sp.policy_of_client(book, scope, key, utc_now().date())


@router.delete("/api/clients/{key}/service-policy", response_model=sp.AppliedPolicy)
def api_clear_own_policy(request: Request, scope: Scope, key: str) -> sp.AppliedPolicy:
    """The client follows its class's policy again (head of key accounts and admin)."""
    _allowed(scope, key)
    book: Book = request.app.state.book
    sp.clear_own_policy(book, scope, key)
    return sp.policy_of_client(book, scope, key, utc_now().date())


@router.get("/api/clients/{key}/service-policy", response_model=sp.AppliedPolicy)
def api_own_policy(request: Request, scope: Scope, key: str) -> sp.AppliedPolicy:
    """The policy a client follows and why: its own (with the reason), its class's, or none."""
    return sp.policy_of_client(request.app.state.book, scope, key, utc_now().date())
