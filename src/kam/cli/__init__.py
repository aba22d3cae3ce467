"""The ``kam`` command line: thin commands over the services."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kam.settings import describe_settings, load_settings


def _help_settings(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(describe_settings())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A TOML settings file (default: KAM_SETTINGS).",
)
@click.option(
    "--help-settings",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_help_settings,
    help="List every setting with its default and exit.",
)
@click.version_option(package_name="kam")
@click.pass_context
def cli(ctx: click.Context, settings_file: Path | None) -> None:
    """kam: key account management. Classify clients, plan and serve the key accounts."""
    ctx.meta["kam.settings_file"] = settings_file
    try:
        ctx.obj = load_settings(os.environ, settings_file)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _register() -> None:
    from kam.cli.abc import abc
    from kam.cli.backup import backup, restore
    from kam.cli.book import init
    from kam.cli.class_history import class_group
    from kam.cli.classify import classify
    from kam.cli.exports import export
    from kam.cli.imports import import_group
    from kam.cli.portfolio import portfolio
    from kam.cli.potential import potential
    from kam.cli.rfm import rfm
    from kam.cli.scoring import score
    from kam.cli.xyz import xyz

    cli.add_command(abc)
    cli.add_command(init)
    cli.add_command(import_group)
    cli.add_command(xyz)
    cli.add_command(rfm)
    cli.add_command(potential)
    cli.add_command(score)
    cli.add_command(portfolio)
    cli.add_command(classify)
    cli.add_command(class_group)
    cli.add_command(export)
    cli.add_command(backup)
    cli.add_command(restore)


_register()


def main(argv: list[str] | None = None) -> Any:
    """Run the command line; user mistakes end with one line on stderr and exit status 2."""
    from kam.analytics.sources import SourceError

    try:
        return cli.main(args=argv, prog_name="kam", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("kam: aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(2 if error.exit_code in (1, 2) else error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except (SourceError, ValueError, RuntimeError, OSError) as error:
        click.echo(f"kam: error: {error}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
