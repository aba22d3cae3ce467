"""Sentences and names several interfaces say the same way: pages, the command line, exports.

The codes kept in data and the API stay English (``pareto``, ``revenue``,
``sales``, the policy stored with a run); whoever shows them to a person words
them here, in the language of the moment.
"""

from __future__ import annotations

import re

from kam.domain.classes import NO_CLASS
from kam.domain.period import Period
from kam.i18n import N_, current, gettext, ngettext
from kam.i18n.formats import format_count

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
    "class": {NO_CLASS: N_("no class")},
}


def label(kind: str, code: str) -> str:
    """The label of ``code`` (a policy, a measure...) in the language of the moment.

    A code without a label (a class letter, a value from a newer version) is
    shown as it is.

    Examples
    --------
    >>> label("measure", "margin"), label("class", "A"), label("class", "none")
    ('margin', 'A', 'no class')
    """
    text = LABELS.get(kind, {}).get(code)
    return gettext(text) if text is not None else code


def period_text(period: Period) -> str:
    """A period as a summary names it: ``2024-Q2``, or all dates when it has no bounds.

    Examples
    --------
    >>> period_text(Period(None, None))
    'all dates'
    """
    return str(period) if period != Period(None, None) else gettext("all dates")


def yes_no(value: bool) -> str:
    """A yes or a no in the language of the moment.

    Examples
    --------
    >>> yes_no(True), yes_no(False)
    ('yes', 'no')
    """
    return gettext("yes") if value else gettext("no")


#: The policy as stored with a run (:func:`kam.services.classify.describe_spec`).
_STORED_POLICY = re.compile(r"(pareto|count) (\d+(?:\.\d*)?),(\d+(?:\.\d*)?) by (\w+)")
_STORED_COMPUTED = re.compile(r"computed by (\w+)")
_POLICY_WORDS = {
    "pareto": N_("pareto {a}/{b} by {measure}"),
    "count": N_("count {a}/{b} by {measure}"),
}


def policy_text(stored: str) -> str:
    """The policy stored with a run (English, ``pareto 0.8,0.95 by revenue``) as a person reads it.

    The stored text stays as it is (runs of the same description replace each
    other); a text of another form is shown as it is.

    Examples
    --------
    >>> policy_text("pareto 0.8,0.95 by revenue"), policy_text("computed by margin")
    ('pareto 0.8/0.95 by revenue', 'computed by margin')
    >>> policy_text("something else")
    'something else'
    """
    if match := _STORED_COMPUTED.fullmatch(stored):
        return gettext("computed by {measure}").format(measure=label("measure", match[1]))
    if match := _STORED_POLICY.fullmatch(stored):
        name, a, b, by = match.groups()
        return gettext(_POLICY_WORDS[name]).format(
            a=current().number(a), b=current().number(b), measure=label("measure", by)
        )
    return stored


def without_client(lines: int) -> str:
    """The note that sales lines without a client id were left out.

    Examples
    --------
    >>> without_client(1234)
    '1,234 lines without a client id were left out'
    """
    return ngettext(
        "{count} line without a client id was left out",
        "{count} lines without a client id were left out",
        lines,
    ).format(count=format_count(lines))
