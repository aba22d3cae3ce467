"""Who may call what: every route of the app against every role, isolation between users,
CSRF, session cookies, password hashes, throttling, logout and revoked tokens.

The table :data:`TABLE` names every route of the app (method and path template). A
route the app serves that the table lacks fails
``test_every_route_of_the_app_is_in_the_permission_table``: add it here with what each
role may do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import plans, prospects, users
from kam.services.book import Book
from kam.store import access as access_store
from kam.store import records
from kam.store.database import transaction
from tests.web.conftest import (
    LOGINS,
    NOW,
    PASSWORD,
    ROLES,
    PlanBook,
    log_in,
    login_token,
)

#: A client every role but the anonymous may see: nancy.davolio's, and German (the viewer's).
KEY = "DRACD"
#: A client of another manager (margaret.peacock), German too.
OTHERS_KEY = "ALFKI"
OTHERS_NAME = "Alfreds Futterkiste"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Outcome:
    """What a role gets from a route."""

    name: str
    check: Callable[[str, Any], bool]

    def __repr__(self) -> str:
        return self.name


def _allowed(path: str, answer: Any) -> bool:
    # Past the access checks: served, redirected elsewhere than the login, or the request's
    # content refused (400, 409, 422) after the caller was admitted.
    if answer.status_code in (400, 409, 422):
        return True
    if 300 <= answer.status_code < 400:
        return not answer.headers.get("location", "").startswith("/login")
    return 200 <= answer.status_code < 300


def _login(path: str, answer: Any) -> bool:
    if path.startswith("/api/"):
        return bool(answer.status_code == 401)
    return answer.status_code == 303 and answer.headers["location"].startswith("/login")


ALLOWED = Outcome("allowed", _allowed)
LOGIN = Outcome("login (401 or to /login)", _login)
FORBIDDEN = Outcome("403", lambda _path, answer: answer.status_code == 403)
MISSING = Outcome("404", lambda _path, answer: answer.status_code == 404)
TO_LOGIN = Outcome(
    "303 to /login",
    lambda _path, answer: answer.status_code == 303 and answer.headers["location"] == "/login",
)


ALLOWED_OR_GONE = Outcome(
    "allowed, or 404 once removed",
    lambda path, answer: answer.status_code == 404 or _allowed(path, answer),
)


def every(outcome: Outcome) -> dict[str, Outcome]:
    """The same outcome for every role, the anonymous included."""
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: Outcome = ALLOWED) -> dict[str, Outcome]:
    """Any logged-in user; the anonymous is sent to log in."""
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], outcome)}


def only(*roles: str, others: Outcome = FORBIDDEN) -> dict[str, Outcome]:
    """The given roles; other users get ``others``; the anonymous is sent to log in."""
    return {
        "anonymous": LOGIN,
        **{role: ALLOWED if role in roles else others for role in ROLES[1:]},
    }


def _missing() -> dict[str, Outcome]:
    """An unknown upload: not found for the roles that may import."""
    return dict.fromkeys(HEAD_OR_ADMIN, MISSING)


@dataclass(frozen=True)
class Probe:
    """How a route is called in the table: path values and what the request carries."""

    #: keyword arguments of the request (``data``, ``json``, ``files``, ``params``); a
    #: callable gets the session's CSRF token (empty for the anonymous)
    request: Callable[[str], dict[str, Any]] | None = None
    #: a fresh client per call (the call changes the session: login, logout)
    fresh: bool = False
    #: path values of this route's calls over :data:`VALUES` (a user to cut off, say)
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One route of the table: what each role gets, and how the route is called."""

    expected: dict[str, Outcome]
    probe: Probe = field(default_factory=Probe)


PERMISSION_LOGIN = "test.permissions.login"
#: A user the admin cuts off in the table's calls, and one it removes.
CUT_OFF = {"name": "test.permissions.cutoff"}
REMOVED = {"name": "test.permissions.removed"}
HEAD_OR_ADMIN = ("head", "admin")
#: Who may change a client's plans (of a client it sees): not the viewer.
EDITORS = ("manager", "head", "admin")


def _form(**fields: str) -> Callable[[str], dict[str, Any]]:
    return lambda _token: {"data": fields}


def _json(body: Any) -> Callable[[str], dict[str, Any]]:
    return lambda _token: {"json": body}


def _upload(kind: str) -> Callable[[str], dict[str, Any]]:
    return lambda _token: {
        "data": {"kind": kind},
        "files": {"file": ("clients.csv", b"client_id,name\nPERM1,Permission Test\n")},
    }


OVERRIDE = {"abc_class": "A", "reason": "the permission table"}
#: Path values of the table's calls (``{token_id}`` is another user's token, made at start).
VALUES = {
    "key": KEY,
    "fmt": "csv",
    "path": "kam.css",
    "upload_id": "0123456789abcdef0123456789abcdef",
    "name": "viewer",
    "period": plans.current_period(),
    "person": KEY,  # the demo book's people are the Northwind contacts, keyed as their clients
    "item_id": "999999",  # an item of a plan that does not exist
    "abc_class": "C",
}
#: The months the table's calls replay in the backtest.
BACKTEST = {"params": {"from": "1998-03", "to": "1998-04"}}
#: A class's service policy as the table's calls set it: C's as kam ships it.
POLICY_RULES = {"rules": [{"kind": "call", "every": "180 days", "by": "owner"}]}
OWN_POLICY = {"policy": "call every 180 days by owner", "reason": "the permission table"}

#: A meeting as the table's calls plan it (a form's fields or the API's body).
MEETING = {"level": "management", "day": f"{plans.current_period()}-06-01", "objective": "Meet"}
#: The whole objects a PUT gives (every field; a PATCH gives some).
PLAN_WHOLE = {"owner": None, "review_date": None, "status": "active", "objective": "The table"}
STAKEHOLDER_WHOLE = {
    "name": "Sven Ottlieb",
    "title": None,
    "department": None,
    "reports_to": None,
    "roles": [],
    "attitude": 1,
    "influence": None,
    "wants": "",
    "facts": "",
    "emotions": "",
    "personal_notes": "",
    "references": "",
    "relationship_owner": None,
    "relationship_strength": "none",
    "verified_on": None,
    "left": False,
}
MEETING_WHOLE = {
    **MEETING,
    "agenda": "",
    "stage_id": None,
    "pairs": [],
    "minutes": "",
    "achievement": None,
    "next_step": "",
    "next_step_due": None,
    "next_step_done": False,
}

TABLE: dict[tuple[str, str], Row] = {
    # Public: the login, the health check, the API's description, static files.
    ("GET", "/login"): Row(every(ALLOWED)),
    ("POST", "/login"): Row(every(ALLOWED), Probe(fresh=True)),
    ("POST", "/logout"): Row(every(TO_LOGIN), Probe(fresh=True)),
    ("GET", "/health"): Row(every(ALLOWED)),
    ("GET", "/favicon.ico"): Row(every(ALLOWED)),
    ("GET", "/api/openapi.json"): Row(every(ALLOWED)),
    ("GET", "/api/docs"): Row(every(ALLOWED)),
    ("GET", "/static/{path}"): Row(every(ALLOWED)),
    # Client data: any logged-in user, within its scope (see the isolation tests below).
    ("GET", "/"): Row(signed_in()),
    ("GET", "/api/portfolio"): Row(signed_in()),
    ("GET", "/portfolio/bubbles"): Row(signed_in()),
    ("GET", "/api/portfolio/bubbles"): Row(signed_in()),
    ("GET", "/clients"): Row(signed_in()),
    ("GET", "/api/clients"): Row(signed_in()),
    ("GET", "/clients/{key}"): Row(signed_in()),
    ("GET", "/api/clients/{key}"): Row(signed_in()),
    ("GET", "/api/clients/{key}/flags"): Row(signed_in()),
    # Downloads of the lists, scoped like the pages; the import log for the head and admin.
    ("GET", "/clients.{fmt}"): Row(signed_in()),
    ("GET", "/portfolio/movers.{fmt}"): Row(signed_in()),
    ("GET", "/clients/{key}/history.{fmt}"): Row(signed_in()),
    ("GET", "/imports.{fmt}"): Row(only(*HEAD_OR_ADMIN)),
    # Class overrides: the head and admin, on a client they see.
    ("POST", "/api/clients/{key}/override"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json(OVERRIDE))
    ),
    ("DELETE", "/api/clients/{key}/override"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/clients/{key}/override"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_form(**OVERRIDE))
    ),
    ("POST", "/clients/{key}/override/clear"): Row(only(*HEAD_OR_ADMIN)),
    # Imports: the head and admin; an upload is its uploader's only (unknown ones: 404).
    ("GET", "/imports"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/imports"): Row(only(*HEAD_OR_ADMIN), Probe(request=_upload("clients"))),
    ("GET", "/imports/{upload_id}"): Row(only(*HEAD_OR_ADMIN, others=FORBIDDEN) | _missing()),
    ("POST", "/imports/{upload_id}"): Row(only(*HEAD_OR_ADMIN) | _missing()),
    ("POST", "/imports/{upload_id}/discard"): Row(only(*HEAD_OR_ADMIN) | _missing()),
    ("GET", "/imports/{upload_id}/report.csv"): Row(only(*HEAD_OR_ADMIN) | _missing()),
    ("GET", "/api/imports"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/imports/log/{import_id}"): Row(
        only(*HEAD_OR_ADMIN), Probe(values={"import_id": "1"})
    ),
    ("GET", "/api/imports/log/{import_id}"): Row(
        only(*HEAD_OR_ADMIN), Probe(values={"import_id": "1"})
    ),
    ("POST", "/api/imports"): Row(only(*HEAD_OR_ADMIN), Probe(request=_upload("clients"))),
    ("POST", "/api/imports/{upload_id}"): Row(only(*HEAD_OR_ADMIN) | _missing()),
    ("DELETE", "/api/imports/{upload_id}"): Row(only(*HEAD_OR_ADMIN) | _missing()),
    # Classification settings: the head and admin.
    ("GET", "/settings/classification"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/settings/classification"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/settings/classification/preview"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/settings/classification"): Row(only(*HEAD_OR_ADMIN)),
    ("PUT", "/api/settings/classification"): Row(
        only(*HEAD_OR_ADMIN),
        Probe(
            request=_json(
                {"policy": "pareto", "cutoffs": "", "by": "revenue", "period": "", "groups": False}
            )
        ),
    ),
    ("POST", "/api/settings/classification/preview"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json({"policy": "count"}))
    ),
    ("POST", "/settings/currency"): Row(only(*HEAD_OR_ADMIN), Probe(request=_form(currency="EUR"))),
    # Service policies: the head and admin; which applies to a client, whoever sees it.
    ("GET", "/settings/service-policies"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/settings/service-policies/{abc_class}"): Row(
        only(*HEAD_OR_ADMIN),
        Probe(request=_form(**{"kind-0": "call", "every-0": "180 days", "do": "save"})),
    ),
    ("GET", "/api/service-policies"): Row(only(*HEAD_OR_ADMIN)),
    ("PUT", "/api/service-policies/{abc_class}"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json(POLICY_RULES))
    ),
    ("POST", "/api/service-policies/{abc_class}/preview"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json(POLICY_RULES))
    ),
    ("GET", "/api/clients/{key}/service-policy"): Row(signed_in()),
    ("PUT", "/api/clients/{key}/service-policy"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json(OWN_POLICY))
    ),
    ("DELETE", "/api/clients/{key}/service-policy"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/clients/{key}/service-policy"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_form(**OWN_POLICY))
    ),
    ("POST", "/clients/{key}/service-policy/clear"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/settings/currency"): Row(only(*HEAD_OR_ADMIN)),
    ("PUT", "/api/settings/currency"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json({"currency": "EUR"}))
    ),
    # Users, grants and teams: the admin only.
    ("GET", "/users"): Row(only("admin")),
    ("POST", "/users"): Row(only("admin")),
    ("POST", "/users/{name}/grants"): Row(only("admin"), Probe(request=_form(client=KEY))),
    ("POST", "/users/{name}/teams"): Row(only("admin"), Probe(request=_form(client=KEY))),
    ("GET", "/api/users"): Row(only("admin")),
    ("POST", "/api/users"): Row(only("admin")),
    ("POST", "/api/users/{name}/grants"): Row(only("admin"), Probe(request=_json({"client": KEY}))),
    ("POST", "/api/users/{name}/teams"): Row(only("admin"), Probe(request=_json({"client": KEY}))),
    ("POST", "/users/{name}/deactivate"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("POST", "/users/{name}/activate"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("POST", "/users/{name}/role"): Row(
        only("admin"), Probe(request=_form(role="viewer"), values=CUT_OFF)
    ),
    ("POST", "/users/{name}/password"): Row(
        only("admin"), Probe(request=_form(password="a fresh secret 42"), values=CUT_OFF)
    ),
    ("POST", "/users/{name}/sessions/end"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("POST", "/users/{name}/teams/remove"): Row(
        only("admin"), Probe(request=_form(client=KEY), values=CUT_OFF)
    ),
    ("POST", "/users/{name}/grants/remove"): Row(
        only("admin"), Probe(request=_form(client=KEY), values=CUT_OFF)
    ),
    ("POST", "/users/{name}/remove"): Row(
        only("admin") | {"admin": ALLOWED_OR_GONE}, Probe(values=REMOVED)
    ),
    ("POST", "/api/users/{name}/deactivate"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("POST", "/api/users/{name}/activate"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("PUT", "/api/users/{name}/role"): Row(
        only("admin"), Probe(request=_json({"role": "viewer"}), values=CUT_OFF)
    ),
    ("PUT", "/api/users/{name}/password"): Row(
        only("admin"), Probe(request=_json({"password": "a fresh secret 42"}), values=CUT_OFF)
    ),
    ("DELETE", "/api/users/{name}"): Row(
        only("admin") | {"admin": ALLOWED_OR_GONE}, Probe(values=REMOVED)
    ),
    ("DELETE", "/api/users/{name}/sessions"): Row(only("admin"), Probe(values=CUT_OFF)),
    ("DELETE", "/api/users/{name}/teams/{client}"): Row(
        only("admin"), Probe(values={**CUT_OFF, "client": KEY})
    ),
    ("DELETE", "/api/users/{name}/grants/{client}"): Row(
        only("admin"), Probe(values={**CUT_OFF, "client": KEY})
    ),
    ("DELETE", "/api/users/{name}/grants"): Row(only("admin"), Probe(values=CUT_OFF)),
    # API tokens: every user its own; another user's token is not found.
    ("GET", "/tokens"): Row(signed_in()),
    ("POST", "/tokens"): Row(signed_in(), Probe(request=_form(label="permission table"))),
    # "" (follow the browser): a real write that leaves the shared logins reading English
    ("POST", "/account/language"): Row(signed_in(), Probe(request=_form(language=""), fresh=True)),
    ("POST", "/tokens/{token_id}/revoke"): Row(signed_in(MISSING)),
    ("GET", "/api/tokens"): Row(signed_in()),
    ("POST", "/api/tokens"): Row(signed_in(), Probe(request=_json({"label": "table"}))),
    ("DELETE", "/api/tokens/{token_id}"): Row(signed_in(MISSING)),
    # Account plans: whoever sees the client reads them; its managers, the head and admins
    # edit them; viewers only read. The table's plan is KEY's plan for this year.
    ("GET", "/plans"): Row(signed_in()),
    ("GET", "/api/plans"): Row(signed_in()),
    ("GET", "/clients/{key}/plan"): Row(signed_in()),
    ("POST", "/clients/{key}/plans"): Row(only(*EDITORS)),
    ("POST", "/api/clients/{key}/plans"): Row(only(*EDITORS)),
    ("GET", "/clients/{key}/plans/{period}"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}"): Row(
        only(*EDITORS), Probe(request=_form(objective="The permission table", status="active"))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}"): Row(
        only(*EDITORS), Probe(request=_json(PLAN_WHOLE))
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}"): Row(
        only(*EDITORS), Probe(request=_json({"objective": "The table", "status": "active"}))
    ),
    # The people of a plan (the client's stakeholders): read by all who see the client.
    ("GET", "/clients/{key}/plans/{period}/people"): Row(signed_in()),
    ("GET", "/clients/{key}/plans/{period}/people.svg"): Row(signed_in()),
    # A whole plan downloaded (PDF, Excel): whoever reads the plan.
    ("GET", "/clients/{key}/plans/{period}/export.pdf"): Row(signed_in()),
    ("GET", "/clients/{key}/plans/{period}/export.xlsx"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/people"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/people"): Row(
        only(*EDITORS), Probe(request=_form(name="Permission Table", roles="user"))
    ),
    ("POST", "/api/clients/{key}/plans/{period}/people"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission Table", "roles": ["user"]}))
    ),
    ("POST", "/clients/{key}/plans/{period}/people/{person}"): Row(
        only(*EDITORS), Probe(request=_form(name="Sven Ottlieb", attitude="1"))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/people/{person}"): Row(
        only(*EDITORS), Probe(request=_json(STAKEHOLDER_WHOLE))
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/people/{person}"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Sven Ottlieb", "attitude": 1}))
    ),
    ("POST", "/clients/{key}/plans/{period}/people/{person}/verified"): Row(only(*EDITORS)),
    ("POST", "/api/clients/{key}/plans/{period}/people/{person}/verified"): Row(only(*EDITORS)),
    # Decision criteria and process, stages and meetings: read with the plan, changed by its
    # editors (one item at a time, or in the API a list whole); an unknown item ({item_id})
    # is 404 for editors.
    ("GET", "/clients/{key}/plans/{period}/decision"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/decision"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/decision/competitors"): Row(
        only(*EDITORS), Probe(request=_form(name="Permission Rival"))
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(name="Permission Rival")),
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/competitors/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/decision/competitors"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission Rival"}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"name": "Permission Rival"})),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/decision/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"name": "Permission Rival"})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/decision/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/criteria"): Row(
        only(*EDITORS), Probe(request=_form(name="Permission", weight="10"))
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/criteria/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(name="Permission", weight="10")),
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/criteria/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/decision/criteria"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission", "weight": 10}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/criteria/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "name": "Permission",
                    "weight": 10,
                    "our_score": None,
                    "influence": "",
                    "scores": [],
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/decision/criteria/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"name": "Permission", "weight": 10})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/decision/criteria/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/steps"): Row(
        only(*EDITORS), Probe(request=_form(name="Step", standing="passed"))
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(name="Step", standing="passed")),
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/steps/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/decision/steps"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission step"}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "name": "Permission step",
                    "position": 1,
                    "standing": "not_started",
                    "due": None,
                    "people": [],
                    "others": "",
                    "note": "",
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/decision/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"name": "Permission step"})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/decision/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/decision/notes"): Row(
        only(*EDITORS), Probe(request=_form(notes="The permission table"))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/competitors"): Row(
        only(*EDITORS), Probe(request=_json([{"name": "Permission Rival"}]))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/criteria"): Row(
        only(*EDITORS), Probe(request=_json([{"name": "Permission", "weight": 10}]))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/steps"): Row(
        only(*EDITORS), Probe(request=_json([{"name": "Permission step"}]))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/decision/notes"): Row(
        only(*EDITORS), Probe(request=_json({"notes": "The permission table"}))
    ),
    ("GET", "/clients/{key}/plans/{period}/engagement"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/engagement"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/engagement/stages"): Row(
        only(*EDITORS), Probe(request=_form(name="Stage", status="planned"))
    ),
    ("POST", "/clients/{key}/plans/{period}/engagement/stages/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(name="Stage", status="planned")),
    ),
    ("POST", "/clients/{key}/plans/{period}/engagement/stages/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/engagement/stages"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission stage"}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/engagement/stages/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "name": "Permission stage",
                    "position": 1,
                    "status": "planned",
                    "start": None,
                    "end": None,
                    "objective": "",
                    "exit_criteria": "",
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/engagement/stages/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"name": "Permission stage"})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/engagement/stages/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/engagement/stages"): Row(
        only(*EDITORS), Probe(request=_json([{"name": "Permission stage"}]))
    ),
    ("POST", "/clients/{key}/plans/{period}/engagement/meetings"): Row(
        only(*EDITORS), Probe(request=_form(**MEETING))
    ),
    ("POST", "/clients/{key}/plans/{period}/engagement/meetings/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_form(**MEETING))
    ),
    ("POST", "/clients/{key}/plans/{period}/engagement/meetings/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/engagement/meetings"): Row(
        only(*EDITORS), Probe(request=_json(MEETING))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/engagement/meetings/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_json(MEETING_WHOLE))
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/engagement/meetings/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_json(MEETING))
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/engagement/meetings/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    # Intervention points: everyone who sees the plan reads them; only the head and admins
    # mark, change and record them (managers too get 403); an unknown point is 404.
    ("GET", "/clients/{key}/plans/{period}/interventions"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/interventions"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/interventions"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_form(trigger="other", action="Permission action"))
    ),
    ("POST", "/clients/{key}/plans/{period}/interventions/{item_id}"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(request=_form(trigger="other", action="x")),
    ),
    ("POST", "/clients/{key}/plans/{period}/interventions/{item_id}/records"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(request=_form(day=f"{plans.current_period()}-01-01", done="x")),
    ),
    ("POST", "/api/clients/{key}/plans/{period}/interventions"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json({"trigger": "other", "action": "Permission"}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/interventions/{item_id}"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(
            request=_json(
                {
                    "trigger": "other",
                    "situation": "",
                    "action": "x",
                    "actor": "head",
                    "actor_name": "",
                    "due": None,
                    "status": "open",
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/interventions/{item_id}"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(request=_json({"trigger": "other", "action": "x"})),
    ),
    ("POST", "/api/clients/{key}/plans/{period}/interventions/{item_id}/records"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(request=_json({"day": f"{plans.current_period()}-01-01", "done": "x"})),
    ),
    # The deal plan, risks and competitors: an unknown item ({item_id}) is 404 for editors.
    ("GET", "/clients/{key}/plans/{period}/deal"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/deal"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/deal/deals"): Row(
        only(*EDITORS), Probe(request=_form(name="Permission deal", value="1,000.50"))
    ),
    ("POST", "/clients/{key}/plans/{period}/deal/deals/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_form(name="d"))
    ),
    ("POST", "/clients/{key}/plans/{period}/deal/deals/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/deal/deliverables"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(deal_id="999999", title="t")),
    ),
    ("POST", "/clients/{key}/plans/{period}/deal/deliverables/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(deal_id="999999", title="t")),
    ),
    ("POST", "/clients/{key}/plans/{period}/deal/deliverables/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/deal/deals"): Row(
        only(*EDITORS), Probe(request=_json({"name": "Permission deal", "value_cents": 100}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/deal/deals/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {"name": "d", "value_cents": 0, "close_date": None, "status": "open", "note": ""}
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/deal/deals/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_json({"name": "d"}))
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/deal/deals/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/deal/deliverables"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"deal_id": 999999, "title": "t"})),
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/deal/deliverables/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "deal_id": 999999,
                    "kind": "other",
                    "title": "t",
                    "owner": None,
                    "due_date": None,
                    "status": "todo",
                    "note": "",
                    "price_cents": None,
                    "schedule": [],
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/deal/deliverables/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"deal_id": 999999, "title": "t"})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/deal/deliverables/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("GET", "/clients/{key}/plans/{period}/risks"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/risks"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/risks"): Row(
        only(*EDITORS), Probe(request=_form(title="Permission risk", probability="20"))
    ),
    ("POST", "/clients/{key}/plans/{period}/risks/stake"): Row(
        only(*EDITORS), Probe(request=_form(years_at_stake="4"))
    ),
    ("POST", "/clients/{key}/plans/{period}/risks/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(title="r", probability="20")),
    ),
    ("POST", "/clients/{key}/plans/{period}/risks/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/risks"): Row(
        only(*EDITORS),
        Probe(request=_json({"title": "Permission risk", "probability_percent": 20})),
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/risks/stake"): Row(
        only(*EDITORS), Probe(request=_json({"years_at_stake": 4}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/risks/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "title": "r",
                    "probability_percent": 20,
                    "impact_cents": 0,
                    "delay_days": 0,
                    "mitigation": "",
                    "cover": "none",
                    "owner": None,
                    "status": "open",
                    "deal_id": None,
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/risks/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"title": "r", "probability_percent": 20})),
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/risks/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("GET", "/clients/{key}/plans/{period}/competitors"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/competitors"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/competitors"): Row(
        only(*EDITORS), Probe(request=_form(competitor="Permission Rival"))
    ),
    ("POST", "/clients/{key}/plans/{period}/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_form(competitor="r"))
    ),
    ("POST", "/clients/{key}/plans/{period}/competitors/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/api/clients/{key}/plans/{period}/competitors"): Row(
        only(*EDITORS), Probe(request=_json({"competitor": "Permission Rival"}))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json(
                {
                    "competitor": "r",
                    "team": "",
                    "tactics": "",
                    "meetings": "",
                    "strengths": "",
                    "weaknesses": "",
                    "outcome": "ongoing",
                    "lessons": "",
                    "deal_id": None,
                }
            )
        ),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_json({"competitor": "r"}))
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/competitors/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    # Prospects: whoever sees the client reads; its managers, the head and admins change them;
    # the fixture puts KEY and OTHERS_KEY on the prospect list. An unknown step is 404.
    ("GET", "/prospects"): Row(signed_in()),
    ("GET", "/api/prospects"): Row(signed_in()),
    ("POST", "/prospects"): Row(only(*EDITORS), Probe(request=_form(client_key=KEY))),
    ("POST", "/api/prospects"): Row(only(*EDITORS), Probe(request=_json({"client_key": KEY}))),
    ("GET", "/prospects/{key}"): Row(signed_in()),
    ("GET", "/api/prospects/{key}"): Row(signed_in()),
    ("POST", "/prospects/{key}"): Row(
        only(*EDITORS), Probe(request=_form(source="the table", status="open"))
    ),
    ("PUT", "/api/prospects/{key}"): Row(
        only(*EDITORS),
        Probe(
            request=_json(
                {
                    "source": "the table",
                    "owner": None,
                    "potential_estimate": None,
                    "status": "qualified",
                }
            )
        ),
    ),
    ("PATCH", "/api/prospects/{key}"): Row(
        only(*EDITORS), Probe(request=_json({"source": "the table", "status": "qualified"}))
    ),
    ("POST", "/prospects/{key}/answers"): Row(
        only(*EDITORS), Probe(request=_form(**{"value-1": "3", "note-1": "table"}))
    ),
    ("PUT", "/api/prospects/{key}/answers"): Row(
        only(*EDITORS), Probe(request=_json([{"criterion_id": 2, "value": 4}]))
    ),
    ("POST", "/prospects/{key}/steps"): Row(
        only(*EDITORS), Probe(request=_form(action="Call", due="2030-01-02"))
    ),
    ("POST", "/api/prospects/{key}/steps"): Row(
        only(*EDITORS), Probe(request=_json({"action": "Call", "due": "2030-01-02"}))
    ),
    ("POST", "/prospects/{key}/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("PUT", "/api/prospects/{key}/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(request=_json({"done": True}))
    ),
    ("POST", "/prospects/{key}/steps/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("DELETE", "/api/prospects/{key}/steps/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/prospects/{key}/drop"): Row(only(*EDITORS), Probe(request=_form(reason="table"))),
    ("POST", "/api/prospects/{key}/drop"): Row(
        only(*EDITORS), Probe(request=_json({"reason": "table"}))
    ),
    ("GET", "/settings/qualification"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/settings/qualification"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/settings/qualification"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_form(threshold="1000000000"))
    ),
    ("PUT", "/api/settings/qualification"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json({"criteria": [], "threshold": 1_000_000_000}))
    ),
    # The offer part of a plan: an unknown need, offering or point ({item_id}) is 404.
    ("GET", "/clients/{key}/plans/{period}/offer"): Row(signed_in()),
    ("GET", "/api/clients/{key}/plans/{period}/offer"): Row(signed_in()),
    ("POST", "/clients/{key}/plans/{period}/offer/needs"): Row(
        only(*EDITORS), Probe(request=_form(title="Permission need", importance="3"))
    ),
    ("POST", "/api/clients/{key}/plans/{period}/offer/needs"): Row(
        only(*EDITORS), Probe(request=_json({"title": "Permission need", "importance": 3}))
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/needs/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(title="n", importance="3")),
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/offer/needs/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"title": "n", "importance": 3, "description": ""})),
    ),
    ("PATCH", "/api/clients/{key}/plans/{period}/offer/needs/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_json({"title": "n", "importance": 3})),
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/needs/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/offer/needs/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/offerings"): Row(
        only(*EDITORS), Probe(request=_form(service="Permission service"))
    ),
    ("POST", "/api/clients/{key}/plans/{period}/offer/offerings"): Row(
        only(*EDITORS), Probe(request=_json({"product_key": "1"}))
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/offerings/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/offer/offerings/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/fit"): Row(only(*EDITORS)),
    ("PUT", "/api/clients/{key}/plans/{period}/offer/fit"): Row(
        only(*EDITORS), Probe(request=_json([]))
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/points"): Row(
        only(*EDITORS), Probe(request=_form(kind="strength", text="Permission strength"))
    ),
    ("POST", "/api/clients/{key}/plans/{period}/offer/points"): Row(
        only(*EDITORS), Probe(request=_json({"kind": "weakness", "text": "Permission weakness"}))
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/points/{item_id}/delete"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("DELETE", "/api/clients/{key}/plans/{period}/offer/points/{item_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING)
    ),
    ("POST", "/clients/{key}/plans/{period}/offer/verdict"): Row(
        only(*EDITORS), Probe(request=_form(verdict="with_changes", note="table"))
    ),
    ("PUT", "/api/clients/{key}/plans/{period}/offer/verdict"): Row(
        only(*EDITORS), Probe(request=_json({"verdict": "yes", "note": ""}))
    ),
    # Alerts: whoever is signed in sees those of the clients in its sight; their owner or the
    # head answers them, the head and admins make them intervention points (see
    # tests/web/test_alerts.py); an unknown alert is not found.
    ("GET", "/alerts"): Row(signed_in()),
    ("GET", "/api/alerts"): Row(signed_in()),
    ("POST", "/alerts/{alert_id}/{answer}"): Row(
        signed_in(MISSING),
        Probe(request=_form(reason="the table"), values={"alert_id": "999999", "answer": "ack"}),
    ),
    ("POST", "/api/alerts/{alert_id}/{answer}"): Row(
        signed_in(MISSING),
        Probe(
            request=_json({"reason": "the table"}), values={"alert_id": "999999", "answer": "ack"}
        ),
    ),
    ("POST", "/alerts/{alert_id}/intervention"): Row(
        signed_in(MISSING), Probe(values={"alert_id": "999999"})
    ),
    ("POST", "/api/alerts/{alert_id}/intervention"): Row(
        signed_in(MISSING), Probe(values={"alert_id": "999999"})
    ),
    # The gifts and hospitality register and its approvals: the head and admins (see
    # tests/web/test_gifts.py); an unknown activity is not found.
    ("GET", "/gifts"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/gifts.{fmt}"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/gifts"): Row(only(*HEAD_OR_ADMIN)),
    ("POST", "/gifts/{activity_id}/{decision}"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(values={"activity_id": "999999", "decision": "approve"}),
    ),
    ("POST", "/api/activities/{activity_id}/{decision}"): Row(
        only(*HEAD_OR_ADMIN) | dict.fromkeys(HEAD_OR_ADMIN, MISSING),
        Probe(
            request=_json({"reason": ""}), values={"activity_id": "999999", "decision": "approve"}
        ),
    ),
    # The cockpit and its search: the head, admins and managers (within their scope), not
    # viewers (see tests/web/test_cockpit.py).
    ("GET", "/cockpit"): Row(only(*EDITORS)),
    ("GET", "/api/cockpit"): Row(only(*EDITORS)),
    ("GET", "/cockpit/search"): Row(only(*EDITORS)),
    ("GET", "/api/cockpit/search"): Row(only(*EDITORS)),
    # My week (whoever is signed in, within its scope) and the team (the head and admins).
    # Reminders: every user its own digest and calendar feed; a feed opens by its secret
    # address alone (an unknown one is not found); an activity's .ics for whoever sees it.
    ("GET", "/reminders"): Row(signed_in()),
    ("POST", "/reminders/digest"): Row(signed_in(), Probe(request=_form(digest="weekly"))),
    ("POST", "/reminders/feed"): Row(signed_in()),
    ("POST", "/reminders/feed/end"): Row(signed_in()),
    ("GET", "/api/reminders"): Row(signed_in()),
    ("PUT", "/api/reminders/digest"): Row(signed_in(), Probe(request=_json({"digest": "daily"}))),
    ("POST", "/reminders/time-zone"): Row(signed_in(), Probe(request=_form(time_zone="UTC"))),
    ("PUT", "/api/reminders/time-zone"): Row(
        signed_in(), Probe(request=_json({"time_zone": "Europe/Warsaw"}))
    ),
    ("POST", "/api/reminders/feed"): Row(signed_in()),
    ("DELETE", "/api/reminders/feed"): Row(signed_in(ALLOWED_OR_GONE)),
    ("GET", "/calendar/{secret}.ics"): Row(every(MISSING), Probe(values={"secret": "cal_none"})),
    ("GET", "/activities/{activity_id}.ics"): Row(
        signed_in(MISSING), Probe(values={"activity_id": "999999"})
    ),
    ("GET", "/week"): Row(signed_in()),
    ("GET", "/api/week"): Row(signed_in()),
    ("GET", "/team"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/team"): Row(only(*HEAD_OR_ADMIN)),
    # Money at risk: whoever sees clients, on the clients it sees; a client out of sight to
    # lose is not found (see tests/web/test_risk.py).
    ("GET", "/risk"): Row(signed_in()),
    ("GET", "/api/risk"): Row(signed_in()),
    ("GET", "/risk/lose"): Row(
        signed_in(), Probe(request=lambda _token: {"params": {"client": KEY}})
    ),
    ("GET", "/api/risk/lose"): Row(
        signed_in(), Probe(request=lambda _token: {"params": {"client": KEY}})
    ),
    # The backtest of the rules and the model: the head and admins (two months, to be quick).
    ("GET", "/risk/backtest"): Row(only(*HEAD_OR_ADMIN), Probe(request=lambda _token: BACKTEST)),
    ("GET", "/risk/backtest.{fmt}"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=lambda _token: BACKTEST)
    ),
    # Activities: read by whoever sees the client, logged by its editors (a manager for its
    # own clients: see tests/web/test_week.py); an unknown activity is 404, for a viewer 403.
    ("GET", "/api/clients/{key}/activities"): Row(signed_in()),
    ("GET", "/clients/{key}/activities/new"): Row(only(*EDITORS)),
    ("POST", "/clients/{key}/activities"): Row(
        only(*EDITORS), Probe(request=_form(kind="call", day="2024-01-02"))
    ),
    ("POST", "/api/clients/{key}/activities"): Row(
        only(*EDITORS), Probe(request=_json({"kind": "call", "at": "2024-01-02T10:00:00"}))
    ),
    ("PUT", "/api/activities/{activity_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(
            request=_json({"kind": "call", "at": "2024-01-02T10:00:00", "version": 1}),
            values={"activity_id": "999999"},
        ),
    ),
    ("DELETE", "/api/activities/{activity_id}"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(values={"activity_id": "999999"})
    ),
    ("POST", "/activities/{activity_id}/move"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(day="2030-01-02", version="1"), values={"activity_id": "999999"}),
    ),
    ("GET", "/activities/{activity_id}/forms"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING), Probe(values={"activity_id": "999999"})
    ),
    ("POST", "/activities/{activity_id}/done"): Row(
        only(*EDITORS) | dict.fromkeys(EDITORS, MISSING),
        Probe(request=_form(version="1"), values={"activity_id": "999999"}),
    ),
    # Who serves whom: profiles for the managers, the head and admins; the proposal for the
    # head and admins; hand-overs for whoever is signed in (a manager its own, a viewer
    # none); an unknown hand-over is 404.
    ("GET", "/managers"): Row(only("manager", *HEAD_OR_ADMIN)),
    ("GET", "/api/managers"): Row(only("manager", *HEAD_OR_ADMIN)),
    ("POST", "/managers"): Row(only(*HEAD_OR_ADMIN), Probe(request=_form(user="", level="9"))),
    ("PUT", "/api/managers/{name}"): Row(
        only(*HEAD_OR_ADMIN),
        Probe(request=_json({"years": 1, "level": 9, "classes": ["A"], "capacity": 1})),
    ),
    ("GET", "/assign"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/assign/proposal"): Row(only(*HEAD_OR_ADMIN)),
    ("GET", "/api/assign/flags"): Row(signed_in()),
    ("POST", "/assign/apply"): Row(only(*HEAD_OR_ADMIN), Probe(request=_form(proposal=""))),
    ("POST", "/api/assign/apply"): Row(
        only(*HEAD_OR_ADMIN), Probe(request=_json({"proposal": {}, "moves": []}))
    ),
    ("GET", "/handovers"): Row(signed_in()),
    ("GET", "/api/handovers"): Row(signed_in()),
    ("POST", "/handovers/{hand_over_id}/checklist/{item}"): Row(
        signed_in(MISSING),
        Probe(request=_form(done="yes"), values={"hand_over_id": "999999", "item": "0"}),
    ),
    ("PUT", "/api/handovers/{hand_over_id}/checklist/{item}"): Row(
        signed_in(MISSING),
        Probe(request=_json({"done": True}), values={"hand_over_id": "999999", "item": "0"}),
    ),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the app serves; a mount is ``GET <mount>/{path}``."""
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.router.routes):
        path = route.path
        if path is None:
            continue
        methods = route.methods
        if methods is None:  # a mount (static files)
            found.add(("GET", f"{path}/{{path}}"))
            continue
        found.update((method, path) for method in methods if method != "HEAD")
    return found


def test_every_route_of_the_app_is_in_the_permission_table(app: FastAPI) -> None:
    missing = sorted(app_routes(app) - set(TABLE))
    assert not missing, (
        "routes missing from the permission table in tests/web/test_permissions.py "
        "(add what each role may do): " + ", ".join(f"{m} {p}" for m, p in missing)
    )


def test_every_route_of_the_permission_table_is_served_by_the_app(app: FastAPI) -> None:
    stale = sorted(set(TABLE) - app_routes(app))
    assert not stale, "routes in the permission table that the app no longer serves: " + (
        ", ".join(f"{m} {p}" for m, p in stale)
    )


@pytest.fixture(scope="module")
def demo(
    plan_book: Callable[[Mapping[str, str]], PlanBook],
) -> Iterator[Book]:
    """A copy of the demo book: the table's calls change it (users, tokens, settings...)."""
    made = plan_book({KEY: "Grow the account", OTHERS_KEY: "Another manager's account"})
    book, head = made.book, made.head
    users.add_user(book, User(PERMISSION_LOGIN, Role.VIEWER), PASSWORD, NOW)
    for cut_off in (CUT_OFF, REMOVED):
        users.add_user(book, User(cut_off["name"], Role.VIEWER), PASSWORD, NOW)
    # every client a prospect candidate, so that the table's clients go on the prospect list
    prospects.save_qualification_settings(book, head, [], 1_000_000_000_00)
    prospects.add_prospect(book, head, KEY)
    prospects.add_prospect(book, head, OTHERS_KEY)
    yield book


@pytest.fixture(scope="module")
def values(demo: Book) -> dict[str, str]:
    """Path values of the table's calls; ``token_id`` is a token of a user of no role here."""
    other = users.get_user(demo, "janet.leverling")
    assert other is not None
    token_id, _secret = users.create_token(demo, other, "not yours", NOW)
    return {**VALUES, "token_id": str(token_id)}


@pytest.fixture(scope="module")
def role_clients(app: FastAPI) -> Iterator[dict[str, TestClient]]:
    """One logged-in client per role (and one anonymous), shared by the table's calls."""
    clients = {"anonymous": TestClient(app, follow_redirects=False)}
    for role in ROLES[1:]:
        clients[role] = log_in(TestClient(app, follow_redirects=False), LOGINS[role])
    yield clients
    for client in clients.values():
        client.close()


def _client_for(app: FastAPI, role: str, shared: dict[str, TestClient], fresh: bool) -> TestClient:
    if not fresh:
        return shared[role]
    client = TestClient(app, follow_redirects=False)
    return client if role == "anonymous" else log_in(client, LOGINS[role])


def call(
    client: TestClient, method: str, path: str, row: Row, values: dict[str, str], csrf: bool = True
) -> Any:
    """Call one route of the table as ``client`` does (with its CSRF token unless not)."""
    given = {**values, **row.probe.values}
    url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: given[m.group(1)], path)
    token = client.headers.get("X-CSRF-Token", "")
    headers = {} if csrf else {"X-CSRF-Token": ""}
    if (method, path) == ("POST", "/login"):
        form = login_token(client)
        return client.post(
            url,
            data={"username": PERMISSION_LOGIN, "password": PASSWORD, "csrf_token": form},
        )
    if (method, path) == ("POST", "/logout"):
        return client.post(url, data={"csrf_token": token if csrf else ""}, headers=headers)
    extra = row.probe.request(token) if row.probe.request else {}
    return client.request(method, url, headers=headers, **extra)


CASES = [
    pytest.param(method, path, role, id=f"{method} {path} as {role}")
    for (method, path) in TABLE
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "role"), CASES)
def test_a_role_gets_what_the_permission_table_says(
    app: FastAPI,
    role_clients: dict[str, TestClient],
    values: dict[str, str],
    method: str,
    path: str,
    role: str,
) -> None:
    if (method, path) not in app_routes(app):
        pytest.fail(f"{method} {path} is in the table but not served by the app")
    row = TABLE[(method, path)]
    client = _client_for(app, role, role_clients, row.probe.fresh)
    answer = call(client, method, path, row, values)
    expected = row.expected[role]
    assert answer.status_code < 500, answer.text[:500]
    assert expected.check(path, answer), (
        f"{method} {path} as {role}: expected {expected.name}, got {answer.status_code} "
        f"{answer.headers.get('location', '')} {answer.text[:200]}"
    )


API_CASES = [
    pytest.param(method, path, role, id=f"{method} {path} as {role} with a token")
    for (method, path) in TABLE
    if path.startswith("/api/") and path not in ("/api/openapi.json", "/api/docs")
    for role in ROLES[1:]
]


@pytest.mark.parametrize(("method", "path", "role"), API_CASES)
def test_a_bearer_token_gets_what_the_session_of_its_user_gets(
    api: Callable[[str], TestClient], values: dict[str, str], method: str, path: str, role: str
) -> None:
    row = TABLE[(method, path)]
    answer = call(api(role), method, path, row, values)
    expected = row.expected[role]
    assert expected.check(path, answer), (
        f"{method} {path} as {role} with a token: expected {expected.name}, "
        f"got {answer.status_code} {answer.text[:200]}"
    )


# --- Isolation: a manager sees nothing of another's clients, a viewer only its grants.


def _owned_by(book: Book, owner: str) -> set[str]:
    with transaction(book.database) as session:
        return {c.key for c in records.list_all(session, Client) if c.owner == owner}


def _all_clients(book: Book) -> list[Client]:
    with transaction(book.database) as session:
        return records.list_all(session, Client)


def _latest_snapshot_keys(book: Book) -> tuple[set[str], set[str]]:
    """The client keys of the latest run and of the run before it, read with plain SQL."""
    with book.database.connect() as connection:
        runs = [
            r[0] for r in connection.execute(text("SELECT id FROM classifications ORDER BY id"))
        ]
        keys = [
            {
                r[0]
                for r in connection.execute(
                    text("SELECT client_key FROM class_snapshots WHERE classification_id = :run"),
                    {"run": run},
                )
            }
            for run in runs[-2:]
        ]
    return keys[-1], keys[0]


def test_a_manager_lists_exactly_the_clients_it_owns_and_their_count(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    mine = _owned_by(demo, LOGINS["manager"])
    listed = login("manager").get("/api/clients", params={"per_page": 500}).json()
    assert {c["key"] for c in listed["clients"]} == mine
    assert listed["total"] == len(mine) == 15
    assert listed["owners"] == [LOGINS["manager"]]
    assert set(listed["countries"]) == {c.country for c in _all_clients(demo) if c.key in mine}


def test_a_manager_finds_nothing_of_another_managers_client_by_search(
    login: Callable[[str], TestClient],
) -> None:
    manager, head = login("manager"), login("head")
    for query in (OTHERS_NAME, OTHERS_KEY, "Alfreds"):
        assert head.get("/api/clients", params={"q": query}).json()["total"] == 1
        found = manager.get("/api/clients", params={"q": query}).json()
        assert found["total"] == 0 and found["clients"] == []
        page = manager.get("/clients", params={"q": query})
        assert f'href="/clients/{OTHERS_KEY}"' not in page.text
        assert f">{OTHERS_NAME}<" not in page.text
        assert "0 clients" in page.text


def test_a_manager_cannot_filter_its_way_to_another_managers_clients(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    for params in ({"owner": "margaret.peacock"}, {"country": "Germany", "class": "A"}):
        listed = manager.get("/api/clients", params={**params, "per_page": 500}).json()
        assert all(c["owner"] == LOGINS["manager"] for c in listed["clients"])
    assert manager.get("/api/clients", params={"owner": "margaret.peacock"}).json()["total"] == 0


def test_another_managers_client_is_not_found_by_its_direct_links(
    login: Callable[[str], TestClient],
) -> None:
    manager, head = login("manager"), login("head")
    assert head.get(f"/api/clients/{OTHERS_KEY}").status_code == 200
    assert head.get(f"/clients/{OTHERS_KEY}").status_code == 200
    for path in (f"/api/clients/{OTHERS_KEY}", f"/clients/{OTHERS_KEY}"):
        answer = manager.get(path)
        assert answer.status_code == 404
        assert OTHERS_NAME not in answer.text
    # the same answer as for a client that does not exist: nothing is revealed
    assert (
        manager.get("/api/clients/NOSUCH").json()
        == manager.get(f"/api/clients/{OTHERS_KEY}").json()
    )
    assert manager.get(f"/api/clients/{KEY}").status_code == 200


def test_a_managers_portfolio_is_the_heads_restricted_to_its_clients(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    mine = _owned_by(demo, LOGINS["manager"])
    head_rows = login("head").get("/api/clients", params={"per_page": 500}).json()["clients"]
    classified = [r for r in head_rows if r["key"] in mine and r["class"]]
    head_portfolio = login("head").get("/api/portfolio").json()
    portfolio = login("manager").get("/api/portfolio").json()

    assert portfolio["clients"] == len(classified)
    assert portfolio["value"] == pytest.approx(sum(max(r["value"], 0) for r in classified))
    for counted in portfolio["classes"]:
        members = [r for r in classified if r["class"] == counted["abc_class"]]
        assert counted["clients"] == len(members)
        assert counted["value"] == pytest.approx(sum(max(r["value"], 0) for r in members))
    # the curve runs over the manager's clients only: steps of 1/n, ending at (1, 1)
    n = len(classified)
    assert portfolio["curve"][-1]["clients"] == pytest.approx(1.0)
    assert portfolio["curve"][-1]["value"] == pytest.approx(1.0)
    assert all(abs(p["clients"] * n - round(p["clients"] * n)) < 1e-9 for p in portfolio["curve"])
    assert len(portfolio["curve"]) <= n + 1
    # movements: the head's, restricted to the manager's clients
    assert {m["client_key"] for m in portfolio["movers"]} <= mine
    assert sorted(
        (m["client_key"], m["before"], m["after"]) for m in portfolio["movers"]
    ) == sorted(
        (m["client_key"], m["before"], m["after"])
        for m in head_portfolio["movers"]
        if m["client_key"] in mine
    )
    latest, previous = _latest_snapshot_keys(demo)
    in_matrix = sum(sum(row.values()) for row in portfolio["matrix"].values())
    assert in_matrix == len((latest | previous) & mine)
    assert portfolio["clients"] < head_portfolio["clients"]


def test_no_page_of_a_manager_shows_another_managers_client(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    manager = login("manager")
    mine = _owned_by(demo, LOGINS["manager"])
    others = [c for c in _all_clients(demo) if c.key not in mine]
    pages = [manager.get("/").text, manager.get(f"/clients/{KEY}").text]
    listed = manager.get("/clients", params={"per_page": 5})
    pages.append(listed.text)
    for number in range(2, 5):
        pages.append(manager.get("/clients", params={"per_page": 5, "page": number}).text)
    pages.append(manager.get("/clients", headers={"HX-Request": "true"}).text)
    for html in pages:
        links = set(re.findall(r'href="/clients/([^"?/]+)', html))
        assert links <= mine, f"links to other managers' clients: {sorted(links - mine)}"
        for other in others:
            assert f">{other.name}<" not in html


DOWNLOAD = re.compile(r"\.(\{fmt\}|csv|xlsx)$")


def _download_text(answer: Any) -> str:
    if answer.content[:2] == b"PK":  # an Excel workbook: the text of its XML parts
        with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
            return " ".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    return str(answer.text)


def test_downloads_of_a_manager_hold_none_of_another_managers_clients(
    app: FastAPI, login: Callable[[str], TestClient], demo: Book
) -> None:
    downloads = sorted(
        path
        for method, path in app_routes(app)
        if method == "GET"
        and DOWNLOAD.search(path)
        and TABLE[(method, path)].expected["manager"] is ALLOWED
    )
    assert "/clients.{fmt}" in downloads
    manager = login("manager")
    mine = _owned_by(demo, LOGINS["manager"])
    others = [c for c in _all_clients(demo) if c.key not in mine]
    for path in downloads:
        for fmt in ("csv", "xlsx"):
            url = path.replace("{fmt}", fmt).replace("{period}", VALUES["period"])
            answer = manager.get(url.replace("{key}", KEY))
            assert answer.status_code == 200, f"{url}: {answer.status_code}"
            content = _download_text(answer)
            leaked = [c.key for c in others if re.search(rf"\b{c.key}\b", content)]
            assert not leaked, f"{url} shows other managers' clients: {leaked[:10]}"
            if "{key}" in path:
                assert manager.get(url.replace("{key}", OTHERS_KEY)).status_code == 404
    listed = _download_text(manager.get("/clients.csv"))
    assert all(re.search(rf"\b{key}\b", listed) for key in mine)


def test_no_route_of_a_client_answers_a_manager_for_another_managers_client(
    login: Callable[[str], TestClient], values: dict[str, str]
) -> None:
    """Every page and API call under a client key: the head gets it, the manager 404."""
    head, manager = login("head"), login("manager")
    paths = [
        path
        for (method, path), row in TABLE.items()
        if method == "GET" and "{key}" in path and row.expected["manager"] is ALLOWED
    ]
    assert "/clients/{key}/plans/{period}" in paths
    for path in paths:
        url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: {**values, "key": OTHERS_KEY}[m.group(1)], path)
        url = url.replace("{fmt}", "csv")
        assert ALLOWED.check(url, head.get(url)), url
        assert manager.get(url).status_code == 404, url


def test_a_viewer_sees_only_the_german_clients_it_was_granted(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    viewer = login("viewer")
    german = {c.key for c in _all_clients(demo) if c.country == "Germany"}
    listed = viewer.get("/api/clients", params={"per_page": 500}).json()
    assert {c["key"] for c in listed["clients"]} == german
    assert listed["total"] == len(german) == 11
    assert listed["countries"] == ["Germany"]
    latest, _previous = _latest_snapshot_keys(demo)
    assert viewer.get("/api/portfolio").json()["clients"] == len(latest & german)
    french = next(c.key for c in _all_clients(demo) if c.country == "France")
    assert viewer.get(f"/api/clients/{french}").status_code == 404
    assert viewer.get(f"/clients/{french}").status_code == 404
    assert viewer.get(f"/api/clients/{OTHERS_KEY}").status_code == 200


# --- CSRF, cookies, passwords, throttling, logout, tokens.


def _unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(
        (method, path) for method, path in app_routes(app) if method in UNSAFE and path != "/login"
    )


def test_every_unsafe_route_refuses_a_cookie_session_without_its_csrf_token(
    app: FastAPI, role_clients: dict[str, TestClient], values: dict[str, str]
) -> None:
    routes = _unsafe_routes(app)
    assert ("POST", "/logout") in routes
    for method, path in routes:
        row = TABLE.get((method, path), Row(signed_in()))
        role = next(
            r for r in ("viewer", "manager", "head", "admin") if row.expected[r] is not FORBIDDEN
        )
        client = _client_for(app, role, role_clients, fresh=path == "/logout")
        answer = call(client, method, path, row, values, csrf=False)
        assert answer.status_code == 403, f"{method} {path} without a CSRF token as {role}"
        assert "CSRF" in answer.text, f"{method} {path}: refused, but not for its CSRF token"
        # and the session is still alive
        assert client.get("/api/portfolio").status_code == 200


def test_the_login_form_without_its_token_is_refused(anonymous: TestClient) -> None:
    login_token(anonymous)
    answer = anonymous.post(
        "/login", data={"username": LOGINS["head"], "password": PASSWORD, "csrf_token": ""}
    )
    assert answer.status_code == 403
    assert "kam_session" not in answer.headers.get("set-cookie", "")
    stranger = TestClient(anonymous.app, follow_redirects=False)
    token = login_token(stranger)  # a token without its cookie
    answer = anonymous.post(
        "/login",
        data={"username": LOGINS["head"], "password": PASSWORD, "csrf_token": token},
        cookies={"kam_login_csrf": "another"},
    )
    assert answer.status_code == 403


def _session_cookie(answer: Any) -> str:
    cookies = [c for c in answer.headers.get_list("set-cookie") if c.startswith("kam_session=")]
    assert len(cookies) == 1
    return str(cookies[0])


def test_the_session_cookie_is_httponly_and_samesite_lax_and_secure_behind_https(
    anonymous: TestClient,
) -> None:
    form = {"username": LOGINS["manager"], "password": PASSWORD}
    plain = anonymous.post("/login", data={**form, "csrf_token": login_token(anonymous)})
    cookie = _session_cookie(plain).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    behind = anonymous.post(
        "/login",
        data={**form, "csrf_token": login_token(anonymous)},
        headers={"X-Forwarded-Proto": "https"},
    )
    cookie = _session_cookie(behind).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_passwords_are_stored_as_argon2_hashes(demo: Book) -> None:
    with transaction(demo.database) as session:
        stored = access_store.password_hash_of(session, LOGINS["head"])
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_five_failed_logins_throttle_the_name_even_for_the_right_password(
    anonymous: TestClient, new_user: Callable[[Role], str]
) -> None:
    name = new_user(Role.MANAGER)
    for _ in range(5):
        answer = anonymous.post(
            "/login",
            data={
                "username": name,
                "password": "wrong-password",
                "csrf_token": login_token(anonymous),
            },
        )
        assert answer.status_code == 401
    answer = anonymous.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": login_token(anonymous)},
    )
    assert answer.status_code == 429
    assert "kam_session" not in answer.headers.get("set-cookie", "")


def test_logout_ends_the_session_and_the_old_cookie_no_longer_works(
    app: FastAPI, login: Callable[[str], TestClient]
) -> None:
    client = login("manager")
    old = client.cookies.get("kam_session")
    assert old
    answer = client.post("/logout", data={"csrf_token": client.headers["X-CSRF-Token"]})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    with TestClient(app, follow_redirects=False, cookies={"kam_session": old}) as replay:
        assert replay.get("/api/clients").status_code == 401
        page = replay.get("/clients")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_revoked_bearer_token_is_refused(app: FastAPI, demo: Book) -> None:
    user = users.get_user(demo, LOGINS["head"])
    assert user is not None
    from datetime import datetime

    token_id, secret = users.create_token(demo, user, "to revoke", datetime(2024, 5, 1))
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as client:
        assert client.get("/api/clients").status_code == 200
        assert users.revoke_token(demo, user, token_id, datetime(2024, 5, 2))
        answer = client.get("/api/clients")
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
    with TestClient(app, headers={"Authorization": "Bearer kam_not-a-token"}) as client:
        assert client.get("/api/portfolio").status_code == 401


def test_the_login_never_sends_the_user_to_another_host(anonymous: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/"):
        answer = anonymous.post(
            "/login",
            data={
                "username": LOGINS["viewer"],
                "password": PASSWORD,
                "csrf_token": login_token(anonymous),
                "next": target,
            },
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/"
