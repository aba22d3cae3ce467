"""The migrations form one line of history: a new one has exactly one parent revision.
They make the same schema on SQLite and PostgreSQL, and every one of them can be undone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from kam.store.database import MIGRATIONS, head_revision, open_database, upgrade


def test_the_migrations_have_one_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, (
        f"several heads {heads}: join them with a merge revision (alembic merge)"
    )


def test_each_migration_is_named_after_its_revision_and_comes_after_those_before() -> None:
    # opening a book compares its revision with the head read from the files' names
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    for script in scripts.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
        before = script.down_revision
        for down in (before,) if isinstance(before, str) else before or ():
            assert int(script.revision) > int(down), script.path  # a merge: after each
    assert head_revision() == scripts.get_current_head()


def test_a_book_at_the_latest_revision_opens_without_reading_the_migrations(
    database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(database)

    def refused(*_args: object) -> None:
        raise AssertionError("the migrations were read")

    monkeypatch.setattr(command, "upgrade", refused)
    upgrade(database)  # at the head: nothing to read
    _downgrade(database, "-1")
    with pytest.raises(AssertionError, match="migrations were read"):
        upgrade(database)


def _downgrade(engine: Engine, target: str) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, target)


def _schema(engine: Engine) -> dict[str, Any]:
    """Every table's columns, keys and indexes, as the database reports them."""
    found = inspect(engine)
    return {
        table: (
            [
                (c["name"], str(c["type"]), c["nullable"], c["default"])
                for c in found.get_columns(table)
            ],
            found.get_pk_constraint(table),
            sorted(str(key) for key in found.get_foreign_keys(table)),
            sorted(str(key) for key in found.get_unique_constraints(table)),
            sorted(str(index) for index in found.get_indexes(table)),
        )
        for table in found.get_table_names()
    }


def test_a_part_of_a_plan_has_its_plan_its_last_change_and_its_version(database: Engine) -> None:
    found = inspect(database)
    columns = [(c["name"], c["nullable"]) for c in found.get_columns("plan_risks")]
    keys = {
        k["name"]: (k["referred_table"], k["options"].get("ondelete"))
        for k in found.get_foreign_keys("plan_risks")
    }
    indexes = {i["name"]: i["column_names"] for i in found.get_indexes("plan_risks")}
    notes = found.get_pk_constraint("decision_notes")

    assert columns == [
        ("id", False),
        ("plan_id", False),
        ("deal_id", True),
        ("title", False),
        ("probability", False),
        ("impact", False),
        ("delay_days", False),
        ("mitigation", False),
        ("cover", False),
        ("owner", True),
        ("status", False),
        ("updated_at", False),
        ("updated_by", False),
        ("version", False),
    ]
    assert keys == {
        "fk_plan_risks_plan_id_account_plans": ("account_plans", "CASCADE"),
        "fk_plan_risks_deal_id_plan_deals": ("plan_deals", "SET NULL"),
    }
    assert indexes == {"ix_plan_risks_plan_id": ["plan_id"], "ix_plan_risks_deal_id": ["deal_id"]}
    assert (notes["name"], notes["constrained_columns"]) == ("pk_decision_notes", ["plan_id"])


def test_every_migration_can_be_undone_and_made_again(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    made = _schema(engine)

    _downgrade(engine, "0004")
    plans_only = set(inspect(engine).get_table_names())
    _downgrade(engine, "base")
    left = inspect(engine).get_table_names()
    upgrade(engine)
    again = _schema(engine)
    engine.dispose()

    assert len(made) == 52
    assert "account_plans" in plans_only and "plan_risks" not in plans_only
    assert "stakeholder_versions" not in plans_only and "prospects" not in plans_only
    assert left == ["alembic_version"]
    assert again == made
