"""``qa-site`` run by the tests: in this process (fast, for what a command prints and
the code it exits with), or as the real console script in a process of its own (for
what only a process shows: a signal, a traceback, a pipe, a hook)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import main
from tests.support.paths import EPOCH, ROOT

# All a user's shell gives the command here: a PATH, the project, and the as-of date.
CLI_ENV = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}


@dataclass(frozen=True)
class CliResult:
    """What a run of the command printed and the code it exited with."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> CliResult:
    """``qa-site ARGS`` in this process, as the console script runs it: in ``cwd`` (default:
    the project), with only CLI_ENV and ``env`` in the environment, its output captured.

    The environment, the current folder and logging's handlers are put back afterwards
    (a build sets SOURCE_DATE_EPOCH; MkDocs adds log handlers)."""
    runner = CliRunner()
    with _process_state(cwd or ROOT, {**CLI_ENV, **(env or {})}):
        with runner.isolation() as (out, err, _):
            try:
                code = _exit_code(list(args))
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
        return CliResult(code, _text(out.getvalue()), _text(err.getvalue()))


def _exit_code(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)  # as Python does for sys.exit("text")
        return 1
    return 0


def _text(output: bytes) -> str:
    """Output as a process's text would read: universal newlines."""
    return output.decode("utf-8", errors="replace").replace("\r\n", "\n")


@contextmanager
def _process_state(cwd: Path, env: Mapping[str, str]) -> Iterator[None]:
    saved_env, saved_cwd, saved_logs = dict(os.environ), Path.cwd(), _loggers()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        with warnings.catch_warnings(), _unwrapped_mkdocs_log():
            yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        _restore_loggers(saved_logs)


@contextmanager
def _unwrapped_mkdocs_log() -> Iterator[None]:
    """MkDocs wraps its log lines to the terminal's width, read once when it is first
    imported, and not at all when there is no terminal: as for the command's stderr
    here, which is never one."""
    from mkdocs.__main__ import ColorFormatter

    wrapper = ColorFormatter.text_wrapper
    saved, wrapper.width = wrapper.width, 0
    try:
        yield
    finally:
        wrapper.width = saved


_LoggerState = tuple[list[logging.Handler], list[logging.Filter], int, bool, bool]


def _all_loggers() -> list[logging.Logger]:
    named = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(item for item in named if isinstance(item, logging.Logger))]


def _loggers() -> dict[logging.Logger, _LoggerState]:
    return {
        logger: (
            list(logger.handlers),
            list(logger.filters),  # type: ignore[arg-type]
            logger.level,
            logger.propagate,
            logger.disabled,
        )
        for logger in _all_loggers()
    }


def _restore_loggers(saved: dict[logging.Logger, _LoggerState]) -> None:
    for logger in _all_loggers():
        handlers, filters, level, propagate, disabled = saved.get(
            logger, ([], [], logging.NOTSET, True, False)
        )
        logger.handlers[:] = handlers
        logger.filters[:] = filters
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def console_command(*args: str) -> list[str]:
    """The installed ``qa-site`` console script with ``args``, for a process of its own."""
    return [str(Path(sys.executable).with_name("qa-site")), *args]


# Starts a command with Ctrl-C at its default, as a terminal starts it: a test
# worker may ignore or block SIGINT, and a child inherits both through exec.
_WITH_DEFAULT_INTERRUPT = (
    "import os, signal, sys; "
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT}); "
    "signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def interruptible(command: list[str]) -> list[str]:
    """``command`` started so that SIGINT reaches it as Ctrl-C would, whatever the
    test process does with SIGINT itself."""
    return [sys.executable, "-c", _WITH_DEFAULT_INTERRUPT, *command]


def run_console(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``qa-site ARGS`` as a real process, in ``cwd`` (default: the project), with CLI_ENV
    and ``env`` as its whole environment."""
    return subprocess.run(
        console_command(*args),
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**CLI_ENV, **(env or {})},
        timeout=timeout,
        check=False,
    )
