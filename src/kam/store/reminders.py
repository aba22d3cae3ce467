"""Each user's e-mail digest (how often, when last sent) and private calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kam.domain.reminders import Digest
from kam.store.schema import CalendarFeedRow, UserRow


@dataclass(frozen=True)
class DigestChoice:
    """A user's choice of digest, and when it was last sent."""

    user_name: str
    digest: Digest
    sent_at: datetime | None


def _user_row(session: Session, name: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise LookupError(f"no user named {name!r}")
    return row


def digest_of(session: Session, user_name: str) -> DigestChoice:
    """A user's choice (``never`` where none was made)."""
    row = _user_row(session, user_name)
    return DigestChoice(row.name, Digest(row.digest or Digest.NEVER), row.digest_sent_at)


def set_digest(session: Session, user_name: str, digest: Digest) -> None:
    """Set how often a user gets the digest."""
    _user_row(session, user_name).digest = digest.value


def digests(session: Session) -> list[DigestChoice]:
    """Every user who chose a digest, by name."""
    rows = session.execute(
        select(UserRow.name, UserRow.digest, UserRow.digest_sent_at)
        .where(UserRow.digest.is_not(None), UserRow.digest != Digest.NEVER.value)
        .order_by(UserRow.name)
    )
    return [DigestChoice(name, Digest(digest or Digest.NEVER), sent) for name, digest, sent in rows]


def mark_sent(session: Session, user_name: str, at: datetime) -> None:
    """Record that a user's digest went out at ``at``."""
    _user_row(session, user_name).digest_sent_at = at


def replace_feed(session: Session, user_name: str, token_hash: str, now: datetime) -> None:
    """Give a user a new calendar feed; the one it had stops working."""
    session.execute(delete(CalendarFeedRow).where(CalendarFeedRow.user_name == user_name))
    session.add(CalendarFeedRow(token_hash=token_hash, user_name=user_name, created_at=now))
    session.flush()


def remove_feed(session: Session, user_name: str) -> bool:
    """End a user's calendar feed; whether it had one."""
    done = session.execute(delete(CalendarFeedRow).where(CalendarFeedRow.user_name == user_name))
    return bool(getattr(done, "rowcount", 0))


def feed_made(session: Session, user_name: str) -> datetime | None:
    """When a user's calendar feed was made, or None when it has none."""
    return session.scalar(
        select(CalendarFeedRow.created_at).where(CalendarFeedRow.user_name == user_name)
    )


def feed_user(session: Session, token_hash: str) -> str | None:
    """The user whose calendar feed has this hash."""
    return session.scalar(
        select(CalendarFeedRow.user_name).where(CalendarFeedRow.token_hash == token_hash)
    )
