"""What the pages call the codes kept in data and the API: policies, measures, import kinds.

The codes stay English (``pareto``, ``revenue``, ``sales``) in forms, links and
the API; a page shows their label in the language of the moment.
"""

from __future__ import annotations

from kam.i18n import N_, gettext

#: The labels of codes, by the kind of code.
LABELS: dict[str, dict[str, str]] = {
    "policy": {
        "pareto": N_("Pareto (share of value)"),
        "count": N_("count (share of clients)"),
        "computed": N_("computed limits"),
    },
    "measure": {"revenue": N_("revenue"), "margin": N_("margin")},
    "kind": {
        "clients": N_("clients"),
        "products": N_("products"),
        "people": N_("people"),
        "sales": N_("sales"),
    },
    "status": {"done": N_("imported"), "rejected": N_("rejected: nothing imported")},
    "class": {"none": N_("no class")},
}


def label(kind: str, code: str) -> str:
    """The label of ``code`` (a policy, a measure...) in the language of the moment.

    A code without a label (a class letter, a value from a newer version) is
    shown as it is.

    Examples
    --------
    >>> label("measure", "margin"), label("class", "A")
    ('margin', 'A')
    """
    text = LABELS.get(kind, {}).get(code)
    return gettext(text) if text is not None else code
