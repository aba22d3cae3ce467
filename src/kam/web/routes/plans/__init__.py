"""The pages and API of account plans: the plan itself and each of its elements.

Every element of a plan has its own module here, with its ``section``
(:class:`~kam.web.routes.plans.common.Section`: its routers, with their prefix);
the plan's page links to them through :data:`~kam.web.routes.plans.common.SECTIONS`.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

from kam.web.routes.plans.common import Section

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
    """The routers of every module of :data:`MODULES`: a module's ``router`` of routes
    outside a plan, where it has one, then its section's pages and API."""
    found = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        section = module.section
        assert isinstance(section, Section)
        own = getattr(module, "router", None)
        found += [*([own] if own else []), section.pages, section.api]
    return found
