"""`qa-site serve` as a service manager or an editor's task runner runs it: started as a
process of its own, stopped by a signal, leaving nothing running and its port free."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.cli import CLI_ENV, console_command, interruptible, run_console
from tests.support.repos import copy_repository
from tests.support.serving import free_port

SITE_NAME = "Adult Social Work Quality Assurance"  # the sample's mkdocs.yml
REVIEW = "reviews/kensington-chelsea/hospital/2012-01-26.md"
# Nothing between these tests and the server on 127.0.0.1, whatever proxy is set.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _page(url: str, process: subprocess.Popen[bytes], log: Path) -> str:
    """``url`` once the server answers it; the log, if the command ends first."""
    deadline = time.monotonic() + 300  # the first build of the sample, on a slow machine
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        try:
            with _DIRECT.open(url, timeout=10) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered:\n{log.read_text(encoding='utf-8')}")


def _port_is_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now (closed connections may linger)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_signal_stops_the_server_and_everything_it_started(
    tmp_path: Path, stop: signal.Signals
) -> None:
    repo = copy_repository(tmp_path / "repo")
    temp = tmp_path / "tmp"  # where MkDocs' serve puts the site it builds
    temp.mkdir()
    log = tmp_path / "serve.log"
    port = free_port()
    args = ("serve", "--dev-addr", f"127.0.0.1:{port}", "--as-of", "2017-01-01")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            # The console script, with Ctrl-C at its default whatever this process does.
            interruptible(console_command(*args)),
            cwd=repo,
            env={**CLI_ENV, "TMPDIR": str(temp)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: whatever it starts is in it
        )
    pgid = process.pid
    try:
        home = _page(f"http://127.0.0.1:{port}/", process, log)
        assert f"<title>Programme dashboard - {SITE_NAME}</title>" in home
        assert "Shown as of <strong>1 January 2017</strong>" in home
        assert len(list(temp.glob("mkdocs_*"))) == 1

        process.send_signal(stop)
        assert process.wait(timeout=60) == 0, log.read_text(encoding="utf-8")
    finally:
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
            process.wait()
    output = log.read_text(encoding="utf-8")
    assert not _group_alive(pgid), "a process it started is still running"
    assert _port_is_free(port)
    assert list(temp.iterdir()) == []  # the site it served, removed
    assert output.endswith("INFO    -  Shutting down...\n")
    assert "Traceback" not in output


def test_without_mkdocs_yml_it_says_so_and_exits_2(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "mkdocs.yml").unlink()
    result = run_console("serve", "--dev-addr", f"127.0.0.1:{free_port()}", cwd=repo, timeout=120)
    assert result.returncode == 2
    assert result.stderr == (
        "Usage: qa-site serve [OPTIONS]\n"
        "Try 'qa-site serve --help' for help.\n"
        "\n"
        f"Error: {repo} has no mkdocs.yml\n"
    )
    assert result.stdout == ""


def test_a_bad_configuration_exits_2_before_anything_is_built(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      as_of: 2017-01-01\n", "      as_of: soon\n"), "utf-8")
    result = run_console("serve", "--dev-addr", f"127.0.0.1:{free_port()}", cwd=repo, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {config}: Aborted with a configuration error!"
    )
    assert result.stderr.count("option 'as_of': expected a date written") == 1
    assert "Building documentation" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_content_error_in_the_first_build_is_said_without_a_traceback(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    review = repo / REVIEW
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("status: presented", "status: presnted", 1), "utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = run_console(
        "serve",
        "--dev-addr",
        f"127.0.0.1:{free_port()}",
        cwd=repo,
        env={"TMPDIR": str(temp)},
        timeout=300,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        f"{REVIEW}:2: status: expected one of draft, completed, presented; got 'presnted'; "
        "did you mean 'presented'?" in lines
    )
    assert lines[-1] == "qa-site serve: not served; correct the errors above and start it again"
    assert "Traceback" not in result.stderr
    assert list(temp.iterdir()) == []
