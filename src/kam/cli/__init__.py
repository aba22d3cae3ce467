"""The ``kam`` command line: thin commands over the services."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from kam.i18n import N_, use_language
from kam.i18n import current as current_language
from kam.i18n import gettext as _
from kam.i18n.commands import TranslatedGroup, TranslatedOption, option, speak_click_words
from kam.settings import describe_settings, load_settings

speak_click_words()


def _settings_file(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """Speak the language of the settings file as soon as it is given."""
    if value is not None:
        _speak_settings(value)
    return value


def _speak_settings(file: Path | None) -> None:
    """Speak the language the settings ask for; a bad setting is reported when they are read."""
    with contextlib.suppress(ValueError):
        activate_language(load_settings(os.environ, file).get("language", ""), os.environ)


def _help_settings(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(describe_settings())
        ctx.exit()


#: Every command, by name: its module and attribute, imported only when the command runs, so
#: that ``kam abc`` does not pay for the database libraries.
COMMANDS: dict[str, str] = {
    "abc": "kam.cli.abc:abc",
    "activity": "kam.cli.activities:activity_group",
    "alerts": "kam.cli.alerts:alerts_group",
    "assign": "kam.cli.assign:assign_group",
    "backup": "kam.cli.backup:backup",
    "check": "kam.cli.check:check",
    "class": "kam.cli.class_history:class_group",
    "classify": "kam.cli.classify:classify",
    "demo": "kam.web.commands:demo",
    "export": "kam.cli.exports:export",
    "import": "kam.cli.imports:import_group",
    "init": "kam.cli.book:init",
    "managers": "kam.cli.managers:managers_group",
    "plan": "kam.cli.plans:plan_group",
    "policy": "kam.cli.policies:policy_group",
    "portfolio": "kam.cli.portfolio:portfolio",
    "potential": "kam.cli.potential:potential",
    "remind": "kam.cli.remind:remind",
    "restore": "kam.cli.backup:restore",
    "risk": "kam.cli.risk:risk_group",
    "rfm": "kam.cli.rfm:rfm",
    "score": "kam.cli.scoring:score",
    "serve": "kam.web.commands:serve",
    "user": "kam.cli.users:user_group",
    "xyz": "kam.cli.xyz:xyz",
}


class LazyGroup(TranslatedGroup):
    """A group whose commands are imported on first use.

    Before its options are read, it speaks the language the environment asks
    for (``KAM_LANGUAGE``, the settings file, the shell's locale), so that
    ``kam --help`` and the errors of the options are in it too.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _speak_settings(None)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help=N_("kam: key account management. Classify clients, plan and serve the key accounts."),
)
@option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    callback=_settings_file,
    help=N_("A TOML settings file (default: KAM_SETTINGS)."),
)
@option(
    "--help-settings",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_help_settings,
    help=N_("List every setting with its default and exit."),
)
@click.version_option(package_name="kam", cls=TranslatedOption)
@click.pass_context
def cli(ctx: click.Context, settings_file: Path | None) -> None:
    """Read the settings and speak their language."""
    ctx.meta["kam.settings_file"] = settings_file
    try:
        ctx.obj = load_settings(os.environ, settings_file)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    activate_language(ctx.obj.get("language", ""), os.environ)
    activate_settings_currency(ctx.obj)


def activate_settings_currency(settings: Mapping[str, str]) -> None:
    """Write amounts in the currency the settings name (EUR unless set).

    Raises :class:`click.UsageError` for a setting that is not a currency code.
    """
    from kam.i18n.money import DEFAULT_CURRENCY, activate_currency, validate_currency

    try:
        code = validate_currency(settings.get("currency") or DEFAULT_CURRENCY, known=False)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    activate_currency(code)


def activate_language(setting: str, environ: Mapping[str, str]) -> None:
    """Speak the language of the setting, or else of the shell's locale, or else English."""
    from kam.i18n import DEFAULT_LANGUAGE, activate
    from kam.i18n.languages import language, supported

    if setting:
        activate(language(setting))
        return
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            activate(language(supported(environ[name]) or DEFAULT_LANGUAGE))
            return


def main(argv: list[str] | None = None) -> Any:
    """Run the command line; user mistakes end with one line on stderr and exit status 2.

    Errors of the machine (a full disk, a database that cannot be used) end
    with one line saying what happened and that the book is intact, and exit
    status 1 (see :mod:`kam.services.machine_errors`).

    The language the command speaks and the currency it writes amounts in are its own:
    they are set back when the command ends.
    """
    from kam.i18n.money import current_currency, use_currency
    from kam.services.reading import SourceError

    with use_language(current_language()), use_currency(current_currency()):
        try:
            return cli.main(args=argv, prog_name="kam", standalone_mode=False)
        except click.exceptions.Abort:
            click.echo(_("kam: aborted"), err=True)
            sys.exit(1)
        except click.ClickException as error:
            error.show()
            sys.exit(2 if error.exit_code in (1, 2) else error.exit_code)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except Exception as error:
            from kam.services.machine_errors import machine_error

            line = machine_error(error)
            if line is not None:  # the machine's, not the user's: exit status 1
                click.echo(_("kam: error: {error}").format(error=line), err=True)
                sys.exit(1)
            if not isinstance(error, SourceError | ValueError | RuntimeError | OSError):
                raise
            click.echo(_("kam: error: {error}").format(error=error), err=True)
            sys.exit(2)
