"""The pages and API of account plans: the plan itself and each of its elements.

Every element of a plan has its own module here, with a ``router``; the plan's
page links to them through :data:`~kam.web.routes.plans.common.SECTIONS`.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

#: The modules of this package that serve routes, in the order they are included.
MODULES = (
    "overview",
    "offer",
    "people",
    "decision",
    "engagement",
    "interventions",
    "deal",
    "risks",
    "competitors",
    "export",
)


def routers() -> list[APIRouter]:
    """The routers of every module of :data:`MODULES`."""
    found = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        router = module.router
        assert isinstance(router, APIRouter)
        found.append(router)
    return found
