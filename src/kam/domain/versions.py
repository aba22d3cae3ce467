"""Version numbers of the objects people edit: lost updates between two editors are refused.

Every object a person changes (a plan's heading, each item of a plan, a
stakeholder, a meeting, an intervention point, a prospect) carries a whole
``version``: 1 when it is made, one more at each change. A change may name
the version it was made on (the one the editor read); when the object has
moved on since, the change is refused with :class:`StaleVersionError` rather
than overwriting what the other editor saved.
"""

from __future__ import annotations

from kam.i18n import gettext as _


class StaleVersionError(Exception):
    """A change made on a version of an object that another editor has changed since.

    ``current`` is the object's version now, ``by`` who saved it last.
    """

    def __init__(self, current: int, by: str) -> None:
        super().__init__(
            _("changed by {user} since you opened it; reload to see their change").format(
                user=by or "?"
            )
        )
        self.current = current
        self.by = by


def check_version(current: int, expected: int | None, by: str) -> None:
    """Refuse a change made on version ``expected`` of an object now at ``current``
    (``None``: the change names no version and is taken as it is).

    Examples
    --------
    >>> check_version(3, 3, "ann"), check_version(3, None, "ann")
    (None, None)
    >>> try:
    ...     check_version(4, 3, "ann")
    ... except StaleVersionError as error:
    ...     print(error.current, error.by)
    4 ann
    """
    if expected is not None and expected != current:
        raise StaleVersionError(current, by)
