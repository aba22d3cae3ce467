"""the book of clients

Create Date: 2026-11-27 05:01:05.709536
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations.ddl import (
    big_integer,
    boolean,
    create_indexes,
    create_table,
    date,
    drop_tables,
    floating,
    integer,
    json,
    references,
    string,
    text,
    timestamp,
    timestamps,
    unique,
)

revision = "0001"
down_revision = None


def upgrade() -> None:
    """Create the tables of the book."""
    create_table(
        "class_overrides",
        string("client_key", 100),
        string("abc_class", 10),
        text("reason"),
        string("set_by", 100),
        timestamp("set_at"),
        date("until", nullable=True),
        timestamp("revoked_at", nullable=True),
    )
    create_indexes("class_overrides", "client_key")
    create_table(
        "classifications",
        string("period", 100),
        date("period_start", nullable=True),
        date("period_end", nullable=True),
        string("policy", 300),
        boolean("groups"),
        timestamp("taken_at"),
        string("taken_by", 100),
    )
    create_table(
        "clients",
        string("key", 100),
        string("name", 300),
        string("parent_key", 100, nullable=True),
        string("industry", 200, nullable=True),
        string("country", 100, nullable=True),
        integer("employees", nullable=True),
        big_integer("annual_turnover", nullable=True),
        big_integer("potential", nullable=True),
        string("potential_source", 200, nullable=True),
        date("potential_as_of", nullable=True),
        string("owner", 100, nullable=True),
        *timestamps(),
        unique("key"),
    )
    create_indexes("clients", "owner", "parent_key")
    create_table(
        "imports",
        string("kind", 20),
        string("file_name", 500),
        string("file_hash", 64),
        string("user", 100),
        timestamp("started_at"),
        timestamp("finished_at", nullable=True),
        *(integer(count) for count in ("inserted", "updated", "unchanged", "rejected", "skipped")),
        string("status", 20),
        json("options", nullable=True),
    )
    create_indexes("imports", "file_hash")
    create_table(
        "mapping_profiles",
        string("name", 100),
        string("kind", 20),
        json("options"),
        timestamp("updated_at"),
        unique("name"),
    )
    create_table(
        "products",
        string("key", 100),
        string("name", 300),
        string("group_name", 200, nullable=True),
        big_integer("list_price", nullable=True),
        *timestamps(),
        unique("key"),
    )
    create_indexes("products", "group_name")
    create_table(
        "users",
        string("name", 100),
        string("role", 20),
        string("full_name", 200, nullable=True),
        string("email", 200, nullable=True),
        string("password_hash", 300, nullable=True),
        timestamp("created_at"),
        unique("name"),
    )
    create_table(
        "class_snapshots",
        integer("classification_id"),
        string("client_key", 100),
        big_integer("value"),
        floating("share"),
        integer("rank"),
        string("computed_class", 10),
        string("abc_class", 10),
        text("reason"),
        text("override_reason", nullable=True),
        references("classification_id", "classifications.id", "CASCADE"),
        unique("classification_id", "client_key"),
    )
    create_indexes("class_snapshots", "classification_id", "client_key")
    op.create_index(
        "ix_class_snapshots_client_period", "class_snapshots", ["client_key", "classification_id"]
    )
    create_table(
        "people",
        string("key", 100),
        string("client_key", 100),
        string("name", 300),
        string("title", 300, nullable=True),
        string("department", 200, nullable=True),
        string("email", 200, nullable=True),
        string("phone", 100, nullable=True),
        string("reports_to", 100, nullable=True),
        *timestamps(),
        references("client_key", "clients.key", "CASCADE"),
        unique("key"),
    )
    create_indexes("people", "client_key")
    create_table(
        "sales_files",
        integer("import_id"),
        string("path", 500),
        string("month", 7),
        big_integer("lines"),
        references("import_id", "imports.id"),
        unique("path"),
    )
    create_indexes("sales_files", "import_id")


def downgrade() -> None:
    """Drop them."""
    drop_tables(
        "sales_files",
        "people",
        "class_snapshots",
        "users",
        "products",
        "mapping_profiles",
        "imports",
        "clients",
        "classifications",
        "class_overrides",
    )
