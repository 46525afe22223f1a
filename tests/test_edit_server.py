"""The editor's server, a real one on 127.0.0.1 in a thread: what a browser on our own
page may do, and what another site, a rebinding name or a plain form may not."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import sys
import threading
import types
import urllib.request
import webbrowser
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.core.errors import InvalidValue
from generator.edit import safe_files, server
from generator.edit.refusals import EditRefused
from generator.edit.server import (
    SECURITY_HEADERS,
    Address,
    AddressInUse,
    EditServer,
    Response,
    new_token,
    parse_address,
)
from tests.support.cli import run_cli
from tests.support.repos import RepoFactory

REVIEW = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"


@dataclass
class RecordingApp:
    """A small application: pages by route, and calls that are recorded; ``save``
    writes a review through safe_files, as the editor's own does."""

    root: Path
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    pages: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def page(self, route: str, query: Mapping[str, str]) -> Response | None:
        self.pages.append((route, dict(query)))
        if route == "/":
            return Response(200, "text/html; charset=utf-8", b"<!doctype html><p>Reviews</p>")
        if route == "/broken":
            raise KeyError("no such review")
        if route == "/refused":
            raise EditRefused(404, "there is no review reviews/x/y/2017-03-01.md")
        return None

    def call(self, name: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        self.calls.append((name, dict(payload)))
        if name == "save":
            safe_files.write_text(self.root, payload["path"], payload["text"])
            return {"saved": True, "path": payload["path"]}
        if name == "check":
            raise EditRefused(422, "S07 is rated Good but has no note", "ratings.S07")
        raise RuntimeError("the check\nfell over")


@dataclass
class Running:
    app: RecordingApp
    edit_server: EditServer
    token: str
    root: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.edit_server.port}"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    root = tmp_path / "repo"
    (root / "reviews" / "hammersmith-fulham" / "learning-disability").mkdir(parents=True)
    app, token = RecordingApp(root), new_token()
    edit_server = EditServer.start(app, Address("127.0.0.1", 0), token)
    thread = threading.Thread(target=edit_server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(app, edit_server, token, root)
    finally:
        edit_server.shutdown()
        thread.join()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def _request(
    running: Running,
    method: str,
    path: str,
    body: bytes | Iterator[bytes] | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    keyed: bool = True,
) -> Answer:
    """One request, with exactly the headers given (Host defaults to the server's), to
    ``path`` below the session's key unless not ``keyed``."""
    connection = http.client.HTTPConnection("127.0.0.1", running.edit_server.port, timeout=10)
    try:
        sent = {"Host": running.host, **(headers or {})}
        if keyed:
            path = f"/{running.token}{path}"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def _save(running: Running, headers: Mapping[str, str] | None = None, **payload: Any) -> Answer:
    """A save as the form's script sends it, with ``headers`` changed."""
    body = json.dumps({"path": REVIEW, "text": "---\nstatus: draft\n---\n", **payload})
    sent = {
        "Content-Type": "application/json",
        server.TOKEN_HEADER: running.token,
        "Origin": f"http://{running.host}",
        "Sec-Fetch-Site": "same-origin",
        **(headers or {}),
    }
    return _request(running, "POST", "/api/save", body.encode(), sent)


def _nothing_done(running: Running) -> None:
    assert running.app.calls == []
    assert not (running.root / REVIEW).exists()


def test_the_url_names_the_bound_port(running: Running) -> None:
    assert running.edit_server.port > 0
    assert running.edit_server.url == (
        f"http://127.0.0.1:{running.edit_server.port}/{running.token}/"
    )


def test_a_save_from_our_own_page_reaches_the_application(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _save(running)

    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json == {"saved": True, "path": REVIEW}
    assert running.app.calls == [("save", {"path": REVIEW, "text": "---\nstatus: draft\n---\n"})]
    assert (running.root / REVIEW).read_text("utf-8") == "---\nstatus: draft\n---\n"
    assert capsys.readouterr().err == f"qa-site edit: save: done ({REVIEW})\n"


def test_a_save_without_origin_or_fetch_metadata_is_taken(running: Running) -> None:
    """Older browsers and same-origin GET-like fetches may send neither header."""
    body = json.dumps({"path": REVIEW, "text": "x\n"}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "X-QA-Edit-Token": running.token}

    answer = _request(running, "POST", "/api/save", body, headers)

    assert answer.status == 200
    assert (running.root / REVIEW).read_text("utf-8") == "x\n"


def test_every_answer_carries_the_security_headers(running: Running) -> None:
    for answer in (
        _request(running, "GET", "/"),
        _request(running, "GET", "/nowhere"),
        _request(running, "GET", "/", headers={"Host": "evil.example"}),
        _save(running),
        _save(running, {"Origin": "http://evil.example"}),
        _request(running, "DELETE", "/api/save"),
    ):
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value
    assert SECURITY_HEADERS["Content-Security-Policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def test_pages_come_from_the_application_with_the_query(running: Running) -> None:
    answer = _request(running, "GET", "/?path=reviews%2Fa%2Fb%2F2017-03-01.md&path=second")

    assert (answer.status, answer.body) == (200, b"<!doctype html><p>Reviews</p>")
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert running.app.pages == [("/", {"path": "reviews/a/b/2017-03-01.md"})]


def test_head_answers_as_get_without_a_body(running: Running) -> None:
    answer = _request(running, "HEAD", "/")

    assert (answer.status, answer.body) == (200, b"")
    assert answer.headers["Content-Length"] == str(len(b"<!doctype html><p>Reviews</p>"))


def test_a_page_the_application_does_not_have_is_404(running: Running) -> None:
    answer = _request(running, "GET", "/nowhere")

    assert (answer.status, answer.body) == (404, b"The editor has no page /nowhere.\n")


def test_a_page_refused_by_the_application_says_why(running: Running) -> None:
    answer = _request(running, "GET", "/refused")

    assert answer.status == 404
    assert answer.body == b"there is no review reviews/x/y/2017-03-01.md\n"


def test_a_fault_in_a_page_is_500_with_one_line(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _request(running, "GET", "/broken")

    assert answer.status == 500
    assert answer.body == b"the editor failed: KeyError: 'no such review'\n"
    assert (
        capsys.readouterr().err == "qa-site edit: the editor failed: KeyError: 'no such review'\n"
    )


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "127.0.0.1", "[::1]:{port}"]
)
def test_another_host_is_refused(running: Running, method: str, host: str) -> None:
    """A rebinding name (or any other) sends its own Host: refused before anything."""
    shown = host.format(port=running.edit_server.port)
    if method == "GET":
        answer = _request(running, "GET", "/", headers={"Host": shown})
    else:
        answer = _save(running, {"Host": shown, "Origin": f"http://{shown}"})

    assert answer.status == 421
    assert answer.body == (
        f"This editor answers only at {running.host}; open that address.\n".encode()
    )
    assert running.app.pages == []
    _nothing_done(running)


def test_the_server_names_itself_only(running: Running) -> None:
    assert _request(running, "GET", "/").headers["Server"] == "qa-site-edit"


def test_an_ipv6_loopback_server_answers_at_its_own_host(tmp_path: Path) -> None:
    edit_server_token = new_token()
    try:
        edit_server = EditServer.start(RecordingApp(tmp_path), Address("::1", 0), edit_server_token)
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    thread = threading.Thread(target=edit_server.serve_forever, daemon=True)
    thread.start()
    try:
        port = edit_server.port
        statuses = []
        for host in (f"[::1]:{port}", f"localhost:{port}", f"127.0.0.1:{port}"):
            connection = http.client.HTTPConnection("::1", port, timeout=10)
            connection.request("GET", f"/{edit_server_token}/", headers={"Host": host})
            statuses.append(connection.getresponse().status)
            connection.close()
    finally:
        edit_server.shutdown()
        thread.join()
    assert edit_server.url == f"http://[::1]:{port}/{edit_server_token}/"
    assert statuses == [200, 200, 421]


def test_localhost_is_this_servers_host_too(running: Running) -> None:
    host = f"localhost:{running.edit_server.port}"

    page = _request(running, "GET", "/", headers={"Host": host})
    saved = _save(running, {"Host": host, "Origin": f"http://{host}"})

    assert (page.status, saved.status) == (200, 200)


def test_a_cross_origin_post_is_refused(running: Running) -> None:
    answer = _save(running, {"Origin": "http://evil.example"})

    assert (answer.status, answer.json) == (403, {"error": "calls from another site are refused"})
    _nothing_done(running)


def test_a_post_with_another_ports_origin_is_refused(running: Running) -> None:
    answer = _save(running, {"Origin": "http://127.0.0.1:1"})

    assert answer.status == 403
    _nothing_done(running)


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_post_fetched_from_another_site_is_refused(running: Running, site: str) -> None:
    answer = _save(running, {"Sec-Fetch-Site": site})

    assert (answer.status, answer.json) == (403, {"error": "calls from another site are refused"})
    _nothing_done(running)


@pytest.mark.parametrize("token", ["", "wrong", "é"])
def test_a_missing_or_wrong_token_is_refused(running: Running, token: str) -> None:
    answer = _save(running, {server.TOKEN_HEADER: token})

    assert answer.status == 403
    assert answer.json == {
        "error": "this page's session is not the editor's current one; reload the page (the "
        "editor was restarted, or the call came from another site)"
    }
    _nothing_done(running)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_a_plain_form_post_is_refused(running: Running, content_type: str) -> None:
    """What a form on another site can send without asking the server first."""
    answer = _save(running, {"Content-Type": content_type})

    assert answer.status == 415
    assert answer.json == {
        "error": "the editor takes calls as JSON (Content-Type: application/json) only"
    }
    _nothing_done(running)


def test_an_oversized_call_is_refused(running: Running) -> None:
    answer = _save(running, text="x" * server.MAX_BODY_BYTES)

    assert (answer.status, answer.json) == (413, {"error": "the call is larger than 4 MiB"})
    _nothing_done(running)


def test_a_far_larger_call_is_refused_without_reading_it(running: Running) -> None:
    """Only the headers are sent: the answer comes without waiting for a body."""
    connection = http.client.HTTPConnection("127.0.0.1", running.edit_server.port, timeout=10)
    try:
        connection.putrequest("POST", f"/{running.token}/api/save", skip_host=True)
        for name, value in {
            "Host": running.host,
            "Content-Type": "application/json",
            server.TOKEN_HEADER: running.token,
            "Content-Length": str(1024 * server.MAX_BODY_BYTES),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        status, answer = response.status, json.loads(response.read())
    finally:
        connection.close()

    assert (status, answer) == (413, {"error": "the call is larger than 4 MiB"})
    _nothing_done(running)


def test_a_call_without_a_length_is_refused(running: Running) -> None:
    headers = {
        "Content-Type": "application/json",
        server.TOKEN_HEADER: running.token,
        "Transfer-Encoding": "chunked",
    }

    answer = _request(running, "POST", "/api/save", iter([b"{}"]), headers)

    assert (answer.status, answer.json) == (411, {"error": "send the call with a Content-Length"})
    _nothing_done(running)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"[1, 2]", "the call must be a JSON object"),
        (b"{not json", "the call is not JSON text in UTF-8"),
        (b'{"text": "\xff"}', "the call is not JSON text in UTF-8"),
    ],
)
def test_a_call_that_is_not_a_json_object_is_refused(
    running: Running, body: bytes, error: str
) -> None:
    headers = {"Content-Type": "application/json", server.TOKEN_HEADER: running.token}

    answer = _request(running, "POST", "/api/save", body, headers)

    assert (answer.status, answer.json) == (400, {"error": error})
    _nothing_done(running)


def test_a_refusal_by_the_application_names_its_field(running: Running) -> None:
    headers = {"Content-Type": "application/json", server.TOKEN_HEADER: running.token}

    answer = _request(running, "POST", "/api/check", b"{}", headers)

    assert answer.status == 422
    assert answer.json == {"error": "S07 is rated Good but has no note", "field": "ratings.S07"}


def test_a_refused_path_is_said_and_nothing_written(running: Running) -> None:
    answer = _save(running, path="reviews/hammersmith-fulham/../../../escaped.md")

    assert answer.status == 403
    assert answer.json["error"].endswith(
        "leads out of its folder (..); the editor writes only "
        "reviews/<borough>/<team>/<YYYY-MM-DD>.md and reviews/<borough>/governance/<YYYY-MM-DD>.md"
    )
    assert not (running.root.parent / "escaped.md").exists()


def test_a_fault_in_a_call_is_500_with_one_line(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"Content-Type": "application/json", server.TOKEN_HEADER: running.token}

    answer = _request(running, "POST", "/api/preview", b"{}", headers)

    assert (answer.status, answer.json) == (
        500,
        {"error": "the editor failed: RuntimeError: the check fell over"},
    )
    assert capsys.readouterr().err == (
        "qa-site edit: the editor failed: RuntimeError: the check fell over\n"
    )


@pytest.mark.parametrize("path", ["/api/Save", "/api/save/x", "/api/", "/save", "/api/save?x=1"])
def test_a_post_anywhere_but_a_call_is_404(running: Running, path: str) -> None:
    headers = {"Content-Type": "application/json", server.TOKEN_HEADER: running.token}

    answer = _request(running, "POST", path, b"{}", headers)

    assert answer.status == 404
    assert running.app.calls == []


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405(running: Running, method: str) -> None:
    answer = _request(running, method, "/api/save", b"{}")

    assert answer.status == 405
    assert answer.headers["Allow"] == "GET, HEAD, POST"
    assert running.app.calls == []


def test_a_static_file_is_served_with_its_type(
    running: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "form.js").write_text("'use strict';\n", "utf-8")
    (static / "form.css").write_text("p {}\n", "utf-8")
    monkeypatch.setattr(server, "STATIC_FOLDER", static)

    script = _request(running, "GET", "/static/form.js")
    style = _request(running, "GET", "/static/form.css")

    assert (script.status, script.body) == (200, b"'use strict';\n")
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert (style.status, style.headers["Content-Type"]) == (200, "text/css; charset=utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../x",
        "/static/..%2Fserver.py",
        "/static/%2e%2e/server.py",
        "/static/sub/form.js",
        "/static/notes.txt",
        "/static/.hidden.js",
        "/static/linked.js",
        "/static/missing.js",
        "/static/",
    ],
)
def test_only_the_static_folders_own_files_are_served(
    running: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    static = tmp_path / "static"
    (static / "sub").mkdir(parents=True)
    (static / "sub" / "form.js").write_text("nested\n", "utf-8")
    (static / "notes.txt").write_text("notes\n", "utf-8")
    (static / ".hidden.js").write_text("hidden\n", "utf-8")
    (tmp_path / "x").write_text("outside\n", "utf-8")
    (static / "linked.js").symlink_to(tmp_path / "x")
    monkeypatch.setattr(server, "STATIC_FOLDER", static)

    answer = _request(running, "GET", path)

    assert (answer.status, answer.body) == (404, b"No such file.\n")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("127.0.0.1:8765", Address("127.0.0.1", 8765)),
        ("127.0.0.2:0", Address("127.0.0.2", 0)),
        ("[::1]:0", Address("::1", 0)),
        ("localhost:0", Address("127.0.0.1", 0)),
        ("LOCALHOST:80", Address("127.0.0.1", 80)),
    ],
)
def test_loopback_addresses_are_taken(text: str, address: Address) -> None:
    assert parse_address(text) == address


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "0.0.0.0:8765",
            "qa-site edit listens on this computer only (127.0.0.1); '0.0.0.0' is not this "
            "computer's own address: use 127.0.0.1:PORT, or [::1]:PORT for IPv6",
        ),
        (
            "192.168.1.2:8765",
            "qa-site edit listens on this computer only (127.0.0.1); '192.168.1.2' is not "
            "this computer's own address: use 127.0.0.1:PORT, or [::1]:PORT for IPv6",
        ),
        (
            "example.com:8765",
            "qa-site edit listens on this computer only (127.0.0.1); 'example.com' is not "
            "this computer's own address: use 127.0.0.1:PORT, or [::1]:PORT for IPv6",
        ),
        (
            "[::]:8765",
            "qa-site edit listens on this computer only (127.0.0.1); '::' is not this "
            "computer's own address: use 127.0.0.1:PORT, or [::1]:PORT for IPv6",
        ),
        ("8765", "'8765' is not an address written IP:PORT, as in 127.0.0.1:8765"),
        ("127.0.0.1:", "'127.0.0.1:' is not an address written IP:PORT, as in 127.0.0.1:8765"),
        (
            "127.0.0.1:http",
            "'127.0.0.1:http' is not an address written IP:PORT, as in 127.0.0.1:8765",
        ),
        ("127.0.0.1:70000", "70000 is not a port number (0 to 65535)"),
    ],
)
def test_other_addresses_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_address(text)
    assert (refused.value.message, refused.value.option) == (message, "--address")


def test_a_port_in_use_is_said(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(AddressInUse) as refused:
            EditServer.start(RecordingApp(tmp_path), Address("127.0.0.1", port), new_token())

    assert refused.value.message == (
        f"port {port} of 127.0.0.1 is in use by another program; pick another with "
        "-a 127.0.0.1:0 (any free port) or -a 127.0.0.1:PORT"
    )


def test_tokens_are_new_each_time() -> None:
    first, second = new_token(), new_token()
    assert first != second
    assert len(first) == 43


# The command, run in this process with a small application in place of the editor's.

BASE_REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"


@dataclass
class Served:
    """What a run of ``qa-site edit`` built and served."""

    apps: list[dict[str, Any]] = field(default_factory=list)
    pages: list[bytes] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Served:
    """``qa-site edit`` with a stand-in application; its server answers one real page
    request, then stops as on Ctrl+C."""
    record = Served()

    class StandInApp:
        def __init__(self, root: Path, **options: Any) -> None:
            record.apps.append({"root": root, **options})
            self.start = options["start"]

        def page(self, route: str, query: Mapping[str, str]) -> Response | None:
            return Response(200, "text/plain", f"start={self.start}".encode())

        def call(self, name: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
            return {}

    module = types.ModuleType("generator.edit.app")
    module.EditorApp = StandInApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "generator.edit.app", module)
    serve = EditServer.serve_forever

    def serve_one_page(edit_server: EditServer) -> None:
        thread = threading.Thread(target=serve, args=(edit_server,))
        thread.start()
        try:
            with urllib.request.urlopen(edit_server.url, timeout=10) as answer:
                record.pages.append(answer.read())
        finally:
            edit_server.shutdown()
            thread.join()
        record.urls.append(edit_server.url)
        raise KeyboardInterrupt

    monkeypatch.setattr(EditServer, "serve_forever", serve_one_page)
    monkeypatch.setattr(webbrowser, "open", record.opened.append)
    return record


def test_edit_serves_the_form_until_ctrl_c(make_repo: RepoFactory, served: Served) -> None:
    repo = make_repo()

    result = run_cli("edit", BASE_REVIEW, "-a", "127.0.0.1:0", cwd=repo)

    (url,) = served.urls
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"qa-site edit: {url} (press Ctrl+C to stop)\n"
    assert served.pages == [f"start={BASE_REVIEW}".encode()]
    (options,) = served.apps
    token = options.pop("token")
    assert len(token) == 43
    assert options == {
        "root": repo.resolve(),
        "as_of": dt.date(2017, 1, 1),  # SOURCE_DATE_EPOCH, as every command reads it
        "start": BASE_REVIEW,
        "deny": None,
    }
    assert served.opened == []
    with socket.socket() as again:  # the port was freed (for a server, as servers bind)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])))


def test_edit_opens_the_browser_only_when_asked(make_repo: RepoFactory, served: Served) -> None:
    repo = make_repo()

    result = run_cli("edit", "--open", "-a", "127.0.0.1:0", "--as-of", "2012-05-01", cwd=repo)

    assert result.returncode == 0
    assert served.opened == served.urls
    assert served.pages == [b"start=None"]
    assert served.apps[0]["as_of"] == dt.date(2012, 5, 1)


def test_path_is_taken_from_the_current_folder(make_repo: RepoFactory, served: Served) -> None:
    repo = make_repo()

    result = run_cli(
        "edit",
        "governance/2011-01-20.md",
        "-a",
        "127.0.0.1:0",
        cwd=repo / "reviews" / "hammersmith-fulham",
    )

    assert result.returncode == 0
    assert served.apps[0]["start"] == "reviews/hammersmith-fulham/governance/2011-01-20.md"


def test_path_is_taken_from_the_root_too(
    make_repo: RepoFactory, served: Served, tmp_path: Path
) -> None:
    repo = make_repo()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = run_cli("edit", BASE_REVIEW, "--root", str(repo), "-a", "127.0.0.1:0", cwd=elsewhere)

    assert result.returncode == 0
    assert served.apps[0]["start"] == BASE_REVIEW


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ["reviews/nowhere/2017-01-01.md"],
            "Invalid value for PATH: reviews/nowhere/2017-01-01.md does not exist",
        ),
        (
            ["standards/S01-safeguarding-enquiries.md"],
            "Invalid value for PATH: 'standards/S01-safeguarding-enquiries.md' is not a review "
            "or minutes; the editor writes only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            ["reviews/hammersmith-fulham"],
            "Invalid value for PATH: reviews/hammersmith-fulham is not a file: name a review "
            "or a meeting's minutes",
        ),
        (
            ["-a", "0.0.0.0:8765"],
            "Invalid value for --address: qa-site edit listens on this computer only "
            "(127.0.0.1); '0.0.0.0' is not this computer's own address: use 127.0.0.1:PORT, "
            "or [::1]:PORT for IPv6",
        ),
    ],
)
def test_a_wrong_argument_is_a_usage_error(
    make_repo: RepoFactory, served: Served, arguments: list[str], error: str
) -> None:
    repo = make_repo()

    result = run_cli("edit", *arguments, cwd=repo)

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"Error: {error}"
    assert served.apps == []


def test_a_port_in_use_is_a_usage_error(make_repo: RepoFactory, served: Served) -> None:
    repo = make_repo()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_cli("edit", "-a", f"127.0.0.1:{port}", cwd=repo)

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for --address: port {port} of 127.0.0.1 is in use by another "
        "program; pick another with -a 127.0.0.1:0 (any free port) or -a 127.0.0.1:PORT"
    )
    assert served.urls == []


@pytest.mark.parametrize(
    "path", ["/", "/files", "/api/save", "/static/edit.js", "/not-the-key/", "//", "/%s/"]
)
def test_an_address_without_the_sessions_key_opens_nothing(running: Running, path: str) -> None:
    """Another person on this computer can reach the port, but not the key the editor
    printed: no page, no script, no call."""
    if "%s" in path:  # the key, but one character short
        path = path % running.token[:-1]
    for method in ("GET", "POST"):
        answer = _request(
            running,
            method,
            path,
            b"{}" if method == "POST" else None,
            {"Content-Type": "application/json", server.TOKEN_HEADER: running.token},
            keyed=False,
        )
        assert answer.status == 404
        assert running.token.encode() not in answer.body
    _nothing_done(running)
