"""The one base of the tool's own errors.

A ``ToolError`` is a failure the tool explains to a person: a folder in use, a
revision that cannot be read, a configuration option that is wrong. It says
what happened in plain words and, where there is a place to point at, carries
a ``Problem`` (``path:line: field: message``). The edges turn it into output
in one place each: the command line into a message and an exit code, the
MkDocs plugin into a ``PluginError``. Problems in the content are not
``ToolError``s: they are ``Problem``s, reported all at once.
"""

from __future__ import annotations

from generator.core.problems import Problem


class ToolError(Exception):
    """A failure to report to a person, without a traceback.

    ``exit_code`` is what the command line exits with: 1 for a problem in the
    content or the files it was given, 2 for a command used wrongly.
    """

    exit_code = 1

    def __init__(self, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.problem = problem

    @property
    def message(self) -> str:
        return str(self)


class UsageError(ToolError):
    """The command or an option was used wrongly (a wrong date, an unknown id...)."""

    exit_code = 2


class InvalidValue(UsageError):
    """A value given to an option or argument is wrong; ``option`` names which,
    where the message does not say it (``--borough``, ``PATH``)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option
