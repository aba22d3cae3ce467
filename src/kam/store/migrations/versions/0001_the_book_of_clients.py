"""the book of clients

Revision ID: 0001
Revises:
Create Date: 2026-11-27 05:01:05.709536
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of the book."""
    op.create_table(
        "class_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("abc_class", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_overrides")),
    )
    with op.batch_alter_table("class_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_class_overrides_client_key"), ["client_key"], unique=False
        )

    op.create_table(
        "classifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("policy", sa.String(length=300), nullable=False),
        sa.Column("groups", sa.Boolean(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classifications")),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("parent_key", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("annual_turnover", sa.BigInteger(), nullable=True),
        sa.Column("potential", sa.BigInteger(), nullable=True),
        sa.Column("potential_source", sa.String(length=200), nullable=True),
        sa.Column("potential_as_of", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sa.UniqueConstraint("key", name=op.f("uq_clients_key")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_clients_parent_key"), ["parent_key"], unique=False)

    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_file_hash"), ["file_hash"], unique=False)

    op.create_table(
        "mapping_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_mapping_profiles_name")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=True),
        sa.Column("list_price", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("key", name=op.f("uq_products_key")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_group_name"), ["group_name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "class_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classification_id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("computed_class", sa.String(length=10), nullable=False),
        sa.Column("abc_class", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["classification_id"],
            ["classifications.id"],
            name=op.f("fk_class_snapshots_classification_id_classifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_snapshots")),
        sa.UniqueConstraint(
            "classification_id", "client_key", name=op.f("uq_class_snapshots_classification_id")
        ),
    )
    with op.batch_alter_table("class_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_class_snapshots_classification_id"), ["classification_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_snapshots_client_key"), ["client_key"], unique=False
        )
        batch_op.create_index(
            "ix_class_snapshots_client_period", ["client_key", "classification_id"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("reports_to", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_key"],
            ["clients.key"],
            name=op.f("fk_people_client_key_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("key", name=op.f("uq_people_key")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_client_key"), ["client_key"], unique=False)

    op.create_table(
        "sales_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_sales_files_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_files")),
        sa.UniqueConstraint("path", name=op.f("uq_sales_files_path")),
    )
    with op.batch_alter_table("sales_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_files_import_id"), ["import_id"], unique=False)


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("sales_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_files_import_id"))

    op.drop_table("sales_files")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_client_key"))

    op.drop_table("people")
    with op.batch_alter_table("class_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_class_snapshots_client_period")
        batch_op.drop_index(batch_op.f("ix_class_snapshots_client_key"))
        batch_op.drop_index(batch_op.f("ix_class_snapshots_classification_id"))

    op.drop_table("class_snapshots")
    op.drop_table("users")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_group_name"))

    op.drop_table("products")
    op.drop_table("mapping_profiles")
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imports_file_hash"))

    op.drop_table("imports")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_parent_key"))
        batch_op.drop_index(batch_op.f("ix_clients_owner"))

    op.drop_table("clients")
    op.drop_table("classifications")
    with op.batch_alter_table("class_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_overrides_client_key"))

    op.drop_table("class_overrides")
