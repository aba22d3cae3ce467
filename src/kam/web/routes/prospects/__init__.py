"""Prospects: the ranking, the candidates and the dropped list; one prospect's qualification.

Pages ``/prospects`` and ``/prospects/{key}`` (:mod:`.pages`), the criteria at
``/settings/qualification`` (:mod:`.qualification`: the head and admins);
their data under ``/api`` (:mod:`.models`). A prospect is seen by whoever sees
its client, changed by the client's managers, the head and admins; a viewer
reads. Forms come back to their page (303); a form the content refuses shows
the page again with the reason (400). A prospect is changed whole (PUT: every
field given) or in part (PATCH); a change made on an older ``version`` than
the prospect's answers 409, and a form made on one comes back as typed with
who changed the prospect since.
"""

from __future__ import annotations

from fastapi import APIRouter

from kam.web.routes.prospects.pages import router as pages
from kam.web.routes.prospects.qualification import router as qualification

router = APIRouter()
router.include_router(pages)
router.include_router(qualification)
