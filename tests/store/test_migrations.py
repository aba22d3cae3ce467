"""The migrations form one line of history: a new one has exactly one parent revision."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from kam.store.database import MIGRATIONS


def test_the_migrations_have_one_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, (
        f"several heads {heads}: join them with a merge revision (alembic merge)"
    )
