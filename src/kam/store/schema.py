"""The relational schema. Money is integer cents; keys are the firm's external keys."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The key of the client a row belongs to (indexed): the row is deleted with the client.
ClientKey = Annotated[
    str,
    mapped_column(String(100), ForeignKey("clients.key", ondelete="CASCADE"), index=True),
]


class Base(DeclarativeBase):
    """The declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class UserRow(Base):
    """A user of kam."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    language: Mapped[str | None] = mapped_column(String(10))
    digest: Mapped[str | None] = mapped_column(String(8))
    digest_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    time_zone: Mapped[str | None] = mapped_column(String(64))


class _Record:
    """The columns of every record of master data: its id, the firm's key, its name (these
    first, as the migrations made them), and when it was made and changed last."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    key: Mapped[str] = mapped_column(String(100), unique=True, sort_order=-1)
    name: Mapped[str] = mapped_column(String(300), sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ClientRow(_Record, Base):
    """A client (account); ``parent_key`` names its group."""

    __tablename__ = "clients"
    parent_key: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    employees: Mapped[int | None] = mapped_column(Integer)
    annual_turnover: Mapped[int | None] = mapped_column(BigInteger)
    potential: Mapped[int | None] = mapped_column(BigInteger)
    potential_source: Mapped[str | None] = mapped_column(String(200))
    potential_as_of: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)


class ProductRow(_Record, Base):
    """A product or service."""

    __tablename__ = "products"
    group_name: Mapped[str | None] = mapped_column(String(200), index=True)
    list_price: Mapped[int | None] = mapped_column(BigInteger)


class PersonRow(_Record, Base):
    """A person at a client."""

    __tablename__ = "people"
    client_key: Mapped[ClientKey]
    title: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    reports_to: Mapped[str | None] = mapped_column(String(100))


class ImportRow(Base):
    """One import of a file."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(500))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: What the import reported (web and API uploads), to be read again from the log.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SalesFileRow(Base):
    """A Parquet file of the sales dataset; files not listed here are not part of the book."""

    __tablename__ = "sales_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    month: Mapped[str] = mapped_column(String(7))
    lines: Mapped[int] = mapped_column(BigInteger)
    #: ``lines``, ``figures`` (each client's figures of the month) or ``products`` (the
    #: products each client bought in the month); see :mod:`kam.store.sales`.
    kind: Mapped[str] = mapped_column(String(16), default="lines", server_default="lines")


class ProfileRow(Base):
    """A saved column mapping for one kind of import."""

    __tablename__ = "mapping_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ClassificationRow(Base):
    """One run of the classification of the book for a period."""

    __tablename__ = "classifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    policy: Mapped[str] = mapped_column(String(300))
    groups: Mapped[bool] = mapped_column(Boolean, default=False)
    taken_at: Mapped[datetime] = mapped_column(DateTime)
    taken_by: Mapped[str] = mapped_column(String(100))
    clients: Mapped[int | None] = mapped_column(Integer)
    a_limit: Mapped[float | None] = mapped_column(Float)
    b_limit: Mapped[float | None] = mapped_column(Float)


class SnapshotRow(Base):
    """A client's class in one classification run."""

    __tablename__ = "class_snapshots"
    # The unique key serves the queries of a run; the index below those of a client.
    __table_args__ = (UniqueConstraint("classification_id", "client_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    classification_id: Mapped[int] = mapped_column(
        ForeignKey("classifications.id", ondelete="CASCADE")
    )
    client_key: Mapped[str] = mapped_column(String(100))
    value: Mapped[int] = mapped_column(BigInteger)
    share: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    computed_class: Mapped[str] = mapped_column(String(10))
    abc_class: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    reason_key: Mapped[str | None] = mapped_column(String(30))
    above_count: Mapped[int | None] = mapped_column(Integer)
    above_share: Mapped[float | None] = mapped_column(Float)


class OverrideRow(Base):
    """A manual class for a client."""

    __tablename__ = "class_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(100), index=True)
    abc_class: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    until: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


Index("ix_class_snapshots_client_period", SnapshotRow.client_key, SnapshotRow.classification_id)


class _Token:
    """The columns of a user's secret token, of which only the hash is kept (these first, as
    the migrations made them), and when it was made."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, sort_order=-1)
    user_name: Mapped[str] = mapped_column(String(100), index=True, sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SessionRow(_Token, Base):
    """A browser session: the cookie holds a random token, the database its hash."""

    __tablename__ = "sessions"
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(_Token, Base):
    """A bearer token for scripts; only its hash is kept."""

    __tablename__ = "api_tokens"
    label: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class CalendarFeedRow(_Token, Base):
    """A user's private calendar address; only the hash of its secret is kept."""

    __tablename__ = "calendar_feeds"


class LoginAttemptRow(Base):
    """A login attempt, for throttling: failed (``checked``), or waiting for its password's
    check."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    checked: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class TeamMemberRow(Base):
    """A user on the team of a client (besides its owner)."""

    __tablename__ = "client_team"
    __table_args__ = (UniqueConstraint("client_key", "user_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(100), index=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)


class GrantRow(Base):
    """What a viewer may read: one client, or every client (``client_key`` null)."""

    __tablename__ = "viewer_grants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    client_key: Mapped[str | None] = mapped_column(String(100))
