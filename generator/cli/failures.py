"""Where failures become messages and exit codes, for every command.

Exit codes: 0 success, 1 content problems, 2 usage or configuration errors
(click's own exit code for usage errors), 3 a fault in the tool itself.

A ``ToolError`` raised in a command is said here, in the command's words: a
``UsageError`` as click says a wrong option (usage, then ``Error: ...``,
exit 2; ``Error: Invalid value for OPTION: ...`` for an ``InvalidValue``),
any other as ``qa-site COMMAND: message`` (exit 1).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from generator.core.errors import InvalidValue, ToolError, UsageError
from generator.core.numbers import counted
from generator.core.problems import Problem, format_text

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class ToolCommand(click.Command):
    """A command whose ``ToolError``s are said as messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidValue as error:
            raise click.BadParameter(error.message, ctx, param_hint=error.option) from None
        except UsageError as error:
            raise click.UsageError(error.message, ctx) from None
        except ToolError as error:
            click.echo(f"qa-site {_command_name(ctx)}: {error.message}", err=True)
            sys.exit(error.exit_code)


class ToolGroup(click.Group):
    """A group of ``ToolCommand``s (``qa-site new ...``)."""

    command_class = ToolCommand


def _command_name(ctx: click.Context) -> str:
    """The top-level command a context belongs to (``new`` for ``new team``)."""
    while ctx.parent is not None and ctx.parent.parent is not None:
        ctx = ctx.parent
    return ctx.info_name or ""


def refuse(command: str, problems: Sequence[Problem], what: str) -> NoReturn:
    """Print the errors that stop ``command`` and exit 1."""
    errors = [p for p in problems if p.is_error]
    click.echo(format_text(errors), nl=False, err=True)
    click.echo(f"qa-site {command}: {counted(len(errors), 'error')}; {what}", err=True)
    sys.exit(EXIT_PROBLEMS)


@contextmanager
def writing(command: str, target: Path) -> Iterator[None]:
    """A failure to write (a full disk, a read-only share) reported against ``target``,
    not against whichever file was being copied when it happened."""
    try:
        yield
    except OSError as error:
        if isinstance(error, FileExistsError | NotADirectoryError | BlockingIOError):
            raise  # said as a usage error where they are expected
        reason = error.strerror or str(error)
        click.echo(
            f"qa-site {command}: could not write {target}: {reason}; nothing was replaced, "
            f"and {target} was left as it was",
            err=True,
        )
        sys.exit(EXIT_USAGE)


def report_crash(error: Exception, args: Sequence[str]) -> NoReturn:
    """A failure no command said: a file system's (exit 2) or the tool's own (exit 3).

    Raised again, with its traceback, when ``--debug`` asked for one.
    """
    if "--debug" in args:
        raise error
    if isinstance(error, OSError):  # a folder that cannot be written, a disk that is full
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"qa-site: {where}{error.strerror or error}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(
        f"qa-site: internal error: {type(error).__name__}: {error}\n"
        "This is a fault in qa-site, not in your files. Run again with --debug "
        "for details and report it.",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)
