"""The command line in the user's language: translated help, and click's own words.

click takes a command's and an option's help when the command is defined, at
import, before the language is known. kam's commands, groups and options are
therefore made with the classes here (through :func:`command`, :func:`group`
and :func:`option`): they keep the help as written in English, marked with
``N_`` for the catalogue, and translate it each time it is shown.

click words its own messages (``Usage:``, ``Options``, ``Error: ...``) with
the standard library's ``gettext``, which each of its modules binds at import
and which would follow the shell's locale only. :func:`speak_click_words`
binds kam's :func:`~kam.i18n.gettext` there instead, so that they follow the
language of the moment like every other text; :data:`CLICK_WORDS` marks
click's messages so that they land in kam's catalogues.
"""

from __future__ import annotations

import gettext as _stdlib
import importlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from kam.i18n import N_, gettext, ngettext

F = TypeVar("F", bound=Callable[..., Any])

#: The help of ``--help``, as click words it.
HELP_HELP = N_("Show this message and exit.")


class _Translated:
    """A text of click's (a help, a short help, an epilog) kept as written, marked with
    ``N_``, and translated each time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._source = f"_{name}_source"

    def __get__(self, instance: object, owner: type | None = None) -> str | None:
        text: str | None = getattr(instance, self._source, None)
        return gettext(text) if text else text

    def __set__(self, instance: object, value: str | None) -> None:
        setattr(instance, self._source, value)


class TranslatedOption(click.Option):
    """An option whose help is translated when shown."""

    help = _Translated()


class _TranslatedHelp:
    """Help, short help and epilog kept as written and translated when shown."""

    help = _Translated()
    short_help = _Translated()
    epilog = _Translated()


def _help_option(option: click.Option | None) -> click.Option | None:
    """click's ``--help`` option, its help worded in the language of the moment.

    click makes the option once per command and keeps it: in a process that
    speaks several languages one after another its help would stay in the first.
    """
    if option is not None:
        option.help = gettext(HELP_HELP)
    return option


class TranslatedCommand(_TranslatedHelp, click.Command):
    """A command whose help is translated when shown."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``--help`` option, its help in the language of the moment."""
        return _help_option(super().get_help_option(ctx))


class TranslatedGroup(_TranslatedHelp, click.Group):
    """A group whose help, and that of the commands and groups made on it, is translated."""

    command_class = TranslatedCommand
    group_class = type

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``--help`` option, its help in the language of the moment."""
        return _help_option(super().get_help_option(ctx))


def command(
    name: str | None = None, **attrs: Any
) -> Callable[[Callable[..., Any]], TranslatedCommand]:
    """``click.command`` making a :class:`TranslatedCommand`; give ``help=N_("...")``."""
    return cast(
        "Callable[[Callable[..., Any]], TranslatedCommand]",
        click.command(name, cls=TranslatedCommand, **attrs),
    )


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], TranslatedGroup]:
    """``click.group`` making a :class:`TranslatedGroup`; give ``help=N_("...")``."""
    return cast(
        "Callable[[Callable[..., Any]], TranslatedGroup]",
        click.group(name, cls=TranslatedGroup, **attrs),
    )


def option(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` making a :class:`TranslatedOption`; give ``help=N_("...")``."""
    return click.option(*param_decls, cls=TranslatedOption, **attrs)


#: click's modules that word messages with the standard library's gettext.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


def speak_click_words() -> None:
    """Let click's own messages speak the language of the moment, through kam's catalogue."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) in (_stdlib.gettext, gettext):
            module.__dict__["_"] = gettext
        if getattr(module, "ngettext", None) in (_stdlib.ngettext, ngettext):
            module.__dict__["ngettext"] = ngettext


#: click's messages a user of kam may read, as click words them, for the catalogue.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    N_("deprecated"),
    N_("Value must be an iterable."),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Press any key to continue..."),
)


def click_plurals(n: int) -> tuple[str, ...]:
    """click's plural messages for ``n``: so they are in the catalogue, and for its test."""
    return (
        ngettext(
            "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n
        ),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext(
            "Option {name!r} requires an argument.",
            "Option {name!r} requires {nargs} arguments.",
            n,
        ),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext(
            "{value!r} does not match the format {format}.",
            "{value!r} does not match the formats {formats}.",
            n,
        ),
        ngettext(
            "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", n
        ),
        ngettext(
            "{len_type} values are required, but {len_value} was given.",
            "{len_type} values are required, but {len_value} were given.",
            n,
        ),
    )
