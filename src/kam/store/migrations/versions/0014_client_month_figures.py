"""what each file of the sales dataset holds: lines, or each client's figures by month

Create Date: 2026-12-06 03:10:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations.ddl import add_columns, drop_columns, string

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    """Every file listed so far holds sales lines; an import now also lists the files of
    its clients' figures and products by month (written with its lines, published with
    them). The figures of imports made before are written by the next import."""
    add_columns("sales_files", string("kind", 16, server_default="lines"))


def downgrade() -> None:
    """Forget the figures' files (their rows), then the column."""
    op.execute("DELETE FROM sales_files WHERE kind <> 'lines'")
    drop_columns("sales_files", "kind")
