"""click's and typer's own sentences — the help's headings and the usage errors — from our catalog.

typer vendors click (``typer._click``) with its texts written as plain f-strings: there is no gettext
domain to install a translation for, nor a module ``_`` to rebind. So each text is replaced where
click and typer leave a door open, once, in the reader's language:

- help (``localize_help``, in ``HELP_LANGUAGE``): typer's ``rich_utils`` module constants (the
  panels' titles, ``[required]``, ``[default: …]``), each command's ``options_metavar`` and
  ``subcommand_metavar`` (``[OPTIONS]``, ``COMMAND [ARGS]...``), and a ``context_class`` whose
  formatter writes the usage prefix and whose help option says what it does;
- usage errors (``usage_problem``, in the language of the run): rendered from the exception's own
  fields (``param``, ``option_name``, ``possibilities``); a text click formats without fields (an
  extra argument, an option's missing value) is read back against the source's template
  (``_TEMPLATES``), and a value typer's type check refused (pydantic) by the error's type.

English reads as click's own words (the message ids are click's texts).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import typer
from rich.text import Text
from typer import rich_utils

from codes.labels import LABELS, FieldName
from config.i18n import N_, _

_click = typer._click  # typer's vendored click: the classes its commands and contexts are made of

# --- help ------------------------------------------------------------------------------------------


class LocalizedFormatter(_click.formatting.HelpFormatter):
    """click's help formatter, its usage line's prefix in the help's language."""

    language = "zh"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            usage = _("Usage:", language=self.language)
            prefix = usage if usage.endswith("：") else usage + " "  # a full-width colon has its space
        super().write_usage(prog, args, prefix)


@lru_cache
def _context_class(language: str) -> type[Any]:
    formatter = type("Formatter", (LocalizedFormatter,), {"language": language})

    class LocalizedContext(_click.core.Context):
        """A context whose help option (made lazily by click, per command) reads in ``language``."""

        formatter_class = formatter

        def __init__(self, command: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(command, *args, **kwargs)
            option = command.get_help_option(self)
            if option is not None:
                option.help = _("Show this message and exit.", language=language)

    return LocalizedContext


_typer_text = rich_utils._make_rich_text


def _folding_text(**kwargs: Any) -> Any:
    """typer's help text for a panel cell, folded at the column's edge instead of cut with "…".
    Chinese has no spaces to wrap at: a sentence is one "word" to rich, which the table's column
    cut short at 80 columns (「以该用户的身份、角色和机关办理（记入办…」)."""
    text = _typer_text(**kwargs)
    if isinstance(text, Text):
        text.overflow = "fold"
    return text


def localize_help(group: Any, language: str) -> None:
    """Every command under ``group`` (and typer's help panels) in ``language``; idempotent."""
    rich_utils._make_rich_text = _folding_text
    rich_utils.ARGUMENTS_PANEL_TITLE = _("Arguments", language=language)
    rich_utils.OPTIONS_PANEL_TITLE = _("Options", language=language)
    rich_utils.COMMANDS_PANEL_TITLE = _("Commands", language=language)
    rich_utils.ERRORS_PANEL_TITLE = _("Error", language=language)
    rich_utils.ABORTED_TEXT = _("Aborted.", language=language)
    # (an error that reaches typer's own box, outside cli.main.OgiGroup; typer fills the fields)
    rich_utils.RICH_HELP = _("Try [blue]'{command_path} {help_option}'[/] for help.", language=language)
    rich_utils.REQUIRED_LONG_STRING = _("[required]", language=language)
    rich_utils.DEPRECATED_STRING = _("(deprecated)", language=language) + " "
    # typer fills these with str.format's positional field; the catalog's ids name it
    rich_utils.DEFAULT_STRING = _("[default: {value}]", language=language, value="{}")
    rich_utils.ENVVAR_STRING = _("[env var: {name}]", language=language, name="{}")
    context_class = _context_class(language)
    options = _("[OPTIONS]", language=language)
    subcommand = _("COMMAND [ARGS]...", language=language)

    def walk(command: Any) -> None:
        command.context_class = context_class
        if command.options_metavar:
            command.options_metavar = options
        if hasattr(command, "subcommand_metavar"):
            command.subcommand_metavar = subcommand
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(group)


# --- usage errors ----------------------------------------------------------------------------------

_MISSING = {
    "option": N_("Missing option {name}."),
    "argument": N_("Missing argument {name}."),
    "parameter": N_("Missing parameter {name}."),
}
# click's texts built without fields to read: the source's template as a pattern, and its message id
_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), msgid)
    for pattern, msgid in (
        (
            r"(?P<problem>.+?\.) Did you mean (?P<suggestions>.+)\?",
            N_("{problem} Did you mean {suggestions}?"),
        ),
        (r"No such command (?P<name>.+?)\.?", N_("No such command {name}.")),
        (r"Missing command\.", N_("Missing command.")),
        (
            r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)",
            N_("Got unexpected extra argument(s) ({args})"),
        ),
        (r"Option (?P<name>'.+') requires an argument\.", N_("Option {name} requires an argument.")),
        (
            r"Option (?P<name>'.+') requires (?P<n>\d+) arguments\.",
            N_("Option {name} requires {n} arguments."),
        ),
        (r"Option (?P<name>'.+') does not take a value\.", N_("Option {name} does not take a value.")),
        (r"Argument (?P<name>'.+') takes (?P<n>\d+) values\.", N_("Argument {name} takes {n} values.")),
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
        (r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\.", N_("Value {value} is not a valid {kind}.")),
    )
)
# a value typer's type check (pydantic) refused, by the error's type
_INVALID = {
    "int_parsing": N_("{value!r} is not a valid integer."),
    "int_from_float": N_("{value!r} is not a valid integer."),
    "float_parsing": N_("{value!r} is not a valid number."),
    "decimal_parsing": N_("{value!r} is not a valid number."),
    "bool_parsing": N_("{value!r} is not a valid boolean."),
}
_INVALID_OTHER = N_("{value!r} is not a valid value.")
# a number outside the option's range (typer's min=/max=): the message, and the bound's name
_OUT_OF_RANGE = {
    "greater_than_equal": (N_("{value} is less than the minimum {bound}."), "ge"),
    "greater_than": (N_("{value} is not greater than {bound}."), "gt"),
    "less_than_equal": (N_("{value} is more than the maximum {bound}."), "le"),
    "less_than": (N_("{value} is not less than {bound}."), "lt"),
}


def _translated(text: str, language: str) -> str:
    """One of click's texts in ``language`` (its parts too); a text it does not know stays as it is
    (our own refusals, raised as a usage error, are already in the reader's language)."""
    for pattern, msgid in _TEMPLATES:
        if m := pattern.fullmatch(text):
            parts = {k: _translated(v, language) if k == "problem" else v for k, v in m.groupdict().items()}
            return _(msgid, language=language, **parts)
    return text


def _hint(error: Any, language: str) -> str:
    """The option or argument refused: an option as typed (``--on``), an argument named as a field
    by its label in ``language`` (``days``: 工作日数), else as click names it."""
    param = error.param
    argument = error.param_hint is None and param is not None and param.param_type_name == "argument"
    if argument and param.name in LABELS[language]["field"]:
        return FieldName.named(param.name).localized(language)
    hint = error.param_hint if error.param_hint is not None else None
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _invalid_value(error: Any, language: str) -> str:
    """Why a value was refused: the type check's error by its type (a bound it is out of named),
    else click's text."""
    cause = error.__cause__
    if cause is None or not hasattr(cause, "errors"):
        return _translated(error.message, language)
    first = (cause.errors() or [{}])[0]
    kind, value = first.get("type", ""), first.get("input", "")
    if kind in _OUT_OF_RANGE:
        msgid, bound = _OUT_OF_RANGE[kind]
        return _(msgid, language=language, value=value, bound=first.get("ctx", {}).get(bound, ""))
    return _(_INVALID.get(kind, _INVALID_OTHER), language=language, value=value)


def usage_problem(error: Any, language: str) -> str:
    """A usage error (click's ``UsageError`` and its kinds) as one sentence in ``language``."""
    kind = type(error).__name__
    if kind == "MissingParameter":
        param_type = error.param_type or (error.param.param_type_name if error.param else "parameter")
        return _(
            _MISSING.get(param_type, _MISSING["parameter"]), language=language, name=_hint(error, language)
        )
    if kind == "NoSuchOption" and error.message.startswith("No such option"):
        problem = _("No such option: {name}", language=language, name=error.option_name)
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            return _(
                "{problem} (Possible options: {options})", language=language, problem=problem, options=options
            )
        return problem
    if kind == "BadParameter":
        hint, problem = _hint(error, language), _invalid_value(error, language)
        if hint:
            return _("Invalid value for {name}: {problem}", language=language, name=hint, problem=problem)
        return _("Invalid value: {problem}", language=language, problem=problem)
    return _translated(error.message, language)


def usage_error_line(error: Any, language: str, command: str = "") -> str:
    """The problem, and where to read the command's help (`ogi case list --help`): the command
    the error names, else ``command`` (click's parser raises some errors without a context)."""
    problem = usage_problem(error, language)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        command = ctx.command_path if ctx.command.get_help_option(ctx) is not None else ""
    if not command:
        return problem
    return _("{problem} (help: {command} --help)", language=language, problem=problem, command=command)
