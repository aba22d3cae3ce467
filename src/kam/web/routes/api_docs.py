"""``/api/docs``: the JSON API described from its OpenAPI document, as a page of the app.

Swagger UI would load its script and styles from a CDN, which the app's
Content-Security-Policy (rightly) blocks; this page is rendered on the server from
``/api/openapi.json`` and needs no script at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kam.web.render import page

router = APIRouter()
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One method of one path, as the page lists it."""

    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: bool = False


def operations(schema: dict[str, Any]) -> dict[str, list[Operation]]:
    """The operations of an OpenAPI document by their first tag, in the document's order.

    Examples
    --------
    >>> doc = {"paths": {"/api/x": {"get": {"tags": ["x"], "summary": "X", "parameters": []}}}}
    >>> [(o.method, o.path, o.summary) for o in operations(doc)["x"]]
    [('GET', '/api/x', 'X')]
    """
    found: dict[str, list[Operation]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method in METHODS:
            spec = methods.get(method)
            if spec is None:
                continue
            tag = (spec.get("tags") or ["other"])[0]
            found.setdefault(tag, []).append(
                Operation(
                    method.upper(),
                    path,
                    spec.get("summary", ""),
                    spec.get("description", ""),
                    [
                        {
                            "name": p.get("name", ""),
                            "in": p.get("in", ""),
                            "required": bool(p.get("required")),
                            "description": p.get("description", ""),
                        }
                        for p in spec.get("parameters", [])
                    ],
                    "requestBody" in spec,
                )
            )
    return found


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs_page(request: Request) -> Response:
    schema = request.app.openapi()
    return page(
        request,
        "api_docs.html",
        {"info": schema.get("info", {}), "tags": operations(schema)},
    )
