"""The editor's web server: the standard library's HTTP server, on this computer only.

The form runs in the reviewer's browser, which also runs every other page the
reviewer has open. So the server answers only on a loopback address, only to a
request whose Host is its own (a page on another site that points its own name at
127.0.0.1, "DNS rebinding", sends its own name and is refused before it can read the
token in our HTML), and carries out a write (``POST /api/<name>``) only when it is
JSON, carries the session's token in a header, and comes from our own origin: a form
or script on another site cannot set that header or that content type without the
browser asking us first, and we never say yes. Every response forbids framing,
sniffing, caching and any script or style but our own.

The pages, the form and what a call does are the ``Application``'s
(``generator.edit.app``); this module knows only HTTP.
"""

from __future__ import annotations

import hmac
import http.server
import ipaddress
import json
import re
import secrets
import socket
import socketserver
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from generator.core.errors import InvalidValue
from generator.edit.refusals import EditRefused, refuse_half_characters

TOKEN_HEADER = "X-QA-Edit-Token"
MAX_BODY_BYTES = 4 * 1024 * 1024
STATIC_FOLDER = Path(__file__).parent / "static"
# The calls that change files: each is said on stderr, so the reviewer sees every save.
LOGGED_CALLS = frozenset({"save", "commit", "new"})
# What an address without this session's key is answered.
_NO_SESSION = (
    "This address does not open the editor: open the one qa-site edit printed when it "
    "started (it carries this session's key)."
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".png": "image/png",
}
_STATIC_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_CALL = re.compile(r"/api/(?P<name>[a-z-]+)")
_TEXT = "text/plain; charset=utf-8"
_JSON = "application/json"
_LOOPBACK_NAME = "localhost"
# A request that sends its headers or body this slowly is dropped, so that a stalled
# client holds no thread for long.
_REQUEST_TIMEOUT_SECONDS = 30
# The largest oversized call read (and dropped) to say why it was refused.
_MOST_DISCARDED = 8 * MAX_BODY_BYTES


@dataclass(frozen=True)
class Response:
    """What a page answers: its status, content type and bytes."""

    status: int
    content_type: str  # e.g. "text/html; charset=utf-8"
    body: bytes


class Application(Protocol):
    """What the server serves: pages, and calls from the form."""

    def page(self, route: str, query: Mapping[str, str]) -> Response | None:
        """GET of an HTML page (route "/", "/edit", "/new"...); None -> 404."""

    def call(self, name: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """POST /api/<name> with a JSON object; returns a JSON object (200).
        Raises EditRefused(status, message, field) for a refusal."""


@dataclass(frozen=True)
class Address:
    """A loopback address to listen on; port 0 picks a free port."""

    host: str  # an IP address: 127.x.x.x or ::1 ("localhost" is taken as 127.0.0.1)
    port: int

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.host


def new_token() -> str:
    """A new session token: the form sends it with every write."""
    return secrets.token_urlsafe(32)


def parse_address(text: str) -> Address:
    """``IP:PORT`` (``127.0.0.1:8765``, ``[::1]:0``, ``localhost:0``) as an Address, or
    InvalidValue for ``--address``: anything but a loopback address is refused, since
    anyone who can reach the editor can write the reviews."""
    host, separator, port_text = text.rpartition(":")
    if not separator or not host or not port_text.isdigit() or not port_text.isascii():
        raise InvalidValue(
            f"'{text}' is not an address written IP:PORT, as in 127.0.0.1:8765", "--address"
        )
    port = int(port_text)
    if port > 65535:
        raise InvalidValue(f"{port} is not a port number (0 to 65535)", "--address")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host.lower() == _LOOPBACK_NAME:
        return Address("127.0.0.1", port)
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is None or not ip.is_loopback or (ip.version == 6 and str(ip) != "::1"):
        raise InvalidValue(
            f"qa-site edit listens on this computer only (127.0.0.1); '{host}' is not this "
            "computer's own address: use 127.0.0.1:PORT, or [::1]:PORT for IPv6",
            "--address",
        )
    return Address(str(ip), port)


class AddressInUse(InvalidValue):
    """The port asked for is taken by another program."""


class EditServer:
    """The editor's HTTP server, bound and ready: ``serve_forever`` answers until
    ``shutdown`` (from another thread) or Ctrl+C; ``close`` frees the port."""

    def __init__(self, httpd: _BoundServer) -> None:
        self._httpd = httpd

    @classmethod
    def start(
        cls, app: Application, address: Address, token: str, *, debug: bool = False
    ) -> EditServer:
        """Bind to ``address`` (AddressInUse when another program has the port)."""
        server_class = _BoundServer6 if address.is_ipv6 else _BoundServer
        try:
            httpd = server_class((address.host, address.port), _EditHandler)
        except OSError as error:
            if error.errno in _IN_USE:
                shown = f"[{address.host}]" if address.is_ipv6 else address.host
                raise AddressInUse(
                    f"port {address.port} of {shown} is in use by another program; pick "
                    f"another with -a {shown}:0 (any free port) or -a {shown}:PORT",
                    "--address",
                ) from None
            raise
        httpd.app, httpd.token, httpd.debug = app, token, debug
        return cls(httpd)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The address to open in a browser, e.g. ``http://127.0.0.1:8765/``."""
        return f"http://{self._httpd.own_host}/{self._httpd.token}/"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop ``serve_forever`` running in another thread, and free the port."""
        self._httpd.shutdown()
        self.close()

    def close(self) -> None:
        """Free the port (after ``serve_forever`` has returned, or was never called)."""
        self._httpd.server_close()


_IN_USE = {98, 48, 10048}  # EADDRINUSE on Linux, macOS, Windows


class _BoundServer(http.server.ThreadingHTTPServer):
    """The HTTP server with what the handler needs: the application, the token."""

    daemon_threads = True
    app: Application
    token: str
    debug: bool

    def server_bind(self) -> None:
        # Not HTTPServer's: it looks this computer's name up in DNS, which can take
        # seconds on a machine without a network, for a name the editor never uses.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def own_host(self) -> str:
        """This server's Host, as a browser that was given its URL sends it."""
        host = self.server_name
        return f"[{host}]:{self.server_port}" if ":" in host else f"{host}:{self.server_port}"

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset({self.own_host, f"{_LOOPBACK_NAME}:{self.server_port}"})

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that went away mid-answer is not worth a traceback.
        error = sys.exc_info()[1]
        if self.debug:
            traceback.print_exc()
        elif not isinstance(error, ConnectionError | TimeoutError):
            print(f"qa-site edit: a request failed: {_one_line(error)}", file=sys.stderr)


class _BoundServer6(_BoundServer):
    address_family = socket.AF_INET6


class _EditHandler(http.server.BaseHTTPRequestHandler):
    server: _BoundServer
    server_version = "qa-site-edit"
    timeout = _REQUEST_TIMEOUT_SECONDS

    def do_GET(self) -> None:
        self._answer_get(with_body=True)

    def do_HEAD(self) -> None:
        self._answer_get(with_body=False)

    def do_POST(self) -> None:
        if not self._own_host():
            self._refuse_host(with_body=True)
            return
        path = self._in_session()
        if path is None:
            self.close_connection = True
            self._send_json(404, {"error": _NO_SESSION})
            return
        matched = _CALL.fullmatch(path)
        if matched is None:
            self._send_json(404, {"error": f"there is no call {_one_line(self.path)}"})
            return
        name = matched["name"]
        refusal = self._refusal()
        if refusal is not None:
            status, message = refusal
            if status == 413:
                self._discard_body()
            self.close_connection = True  # any body left unread is dropped with it
            self._send_json(status, {"error": message})
            return
        payload = self._payload()
        if isinstance(payload, tuple):
            self._send_json(*payload)
            return
        self._call(name, payload)

    def _not_allowed(self) -> None:
        self.close_connection = True
        self._send(
            405, _TEXT, b"The editor answers GET, HEAD and POST only.\n", True, "GET, HEAD, POST"
        )

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def _answer_get(self, with_body: bool) -> None:
        if not self._own_host():
            self._refuse_host(with_body)
            return
        path = self._in_session()
        if path is None:
            self._send(404, _TEXT, f"{_NO_SESSION}\n".encode(), with_body)
            return
        parts = urlsplit(path)
        route = unquote(parts.path)
        if route.startswith("/static/"):
            self._static(route.removeprefix("/static/"), with_body)
            return
        query = dict(reversed(parse_qsl(parts.query, keep_blank_values=True)))  # first wins
        try:
            response = self.server.app.page(route, query)
        except EditRefused as refused:
            response = Response(refused.status, _TEXT, f"{refused.message}\n".encode())
        except Exception as error:  # a fault of the editor: said, not a traceback
            response = Response(500, _TEXT, f"{self._failed(error)}\n".encode())
        if response is None:
            response = Response(
                404, _TEXT, f"The editor has no page {_one_line(route)}.\n".encode()
            )
        self._send(response.status, response.content_type, response.body, with_body)

    def _in_session(self) -> str | None:
        """The request's path below this session's key (``/KEY/edit?...`` -> ``/edit?...``),
        or None: every address of the editor starts with a key only its printed address
        carries, so that another person on this computer cannot open it."""
        first, slash, rest = self.path.removeprefix("/").partition("/")
        token = self.server.token
        if not slash or not hmac.compare_digest(first.encode("latin-1", "replace"), token.encode()):
            return None
        return "/" + rest

    def _static(self, name: str, with_body: bool) -> None:
        path = STATIC_FOLDER / name
        content_type = STATIC_TYPES.get(Path(name).suffix)
        if (
            not _STATIC_NAME.fullmatch(name)
            or content_type is None
            or path.is_symlink()
            or not path.is_file()
        ):
            self._send(404, _TEXT, b"No such file.\n", with_body)
            return
        self._send(200, content_type, path.read_bytes(), with_body)

    def _refusal(self) -> tuple[int, str] | None:
        """Why a POST may not reach the application, or None when it may."""
        media_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != _JSON:
            return 415, "the editor takes calls as JSON (Content-Type: application/json) only"
        token = self.headers.get(TOKEN_HEADER, "").encode("latin-1", errors="replace")
        if not hmac.compare_digest(token, self.server.token.encode("ascii")):
            return 403, (
                "this page's session is not the editor's current one; reload the page "
                "(the editor was restarted, or the call came from another site)"
            )
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            return 403, "calls from another site are refused"
        fetch_site = self.headers.get("Sec-Fetch-Site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return 403, "calls from another site are refused"
        if self.headers.get("Transfer-Encoding") is not None:
            return 411, "send the call with a Content-Length"
        length_text = self.headers.get("Content-Length", "")
        if not length_text.isdigit() or not length_text.isascii():
            return 411, "send the call with a Content-Length"
        if int(length_text) > MAX_BODY_BYTES:
            return 413, f"the call is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB"
        return None

    def _discard_body(self) -> None:
        """Read an oversized call's body (our own form's: the token was right) and drop
        it, so that the browser, still sending, reads the refusal instead of a reset
        connection; one far larger is left unread."""
        left = int(self.headers["Content-Length"])
        if left > _MOST_DISCARDED:
            return
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                return
            left -= len(chunk)

    def _payload(self) -> dict[str, Any] | tuple[int, dict[str, Any]]:
        """The call's JSON object, or the status and answer that refuse it."""
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 400, {"error": "the call is not JSON text in UTF-8"}
        except RecursionError:
            return 400, {"error": "the call is nested too deeply to read"}
        if not isinstance(payload, dict):
            return 400, {"error": "the call must be a JSON object"}
        try:
            refuse_half_characters(payload)
        except EditRefused as refused:
            return refused.status, {"error": refused.message}
        return payload

    def _call(self, name: str, payload: dict[str, Any]) -> None:
        try:
            answer: Mapping[str, Any] = self.server.app.call(name, payload)
            status, body = 200, json.dumps(dict(answer), ensure_ascii=False)
        except EditRefused as refused:
            status = refused.status
            body = json.dumps({"error": refused.message, "field": refused.field})
        except Exception as error:  # a fault of the editor: said, not a traceback
            status, body = 500, json.dumps({"error": self._failed(error)})
        if name in LOGGED_CALLS:
            print(f"qa-site edit: {name}: {_outcome(status, body)}", file=sys.stderr)
        self._send(status, _JSON, body.encode("utf-8"), True)

    def _own_host(self) -> bool:
        return self.headers.get("Host") in self.server.allowed_hosts

    def _refuse_host(self, with_body: bool) -> None:
        self.close_connection = True
        message = f"This editor answers only at {self.server.own_host}; open that address.\n"
        self._send(421, _TEXT, message.encode(), with_body)

    def _send_json(self, status: int, answer: Mapping[str, Any]) -> None:
        self._send(status, _JSON, json.dumps(dict(answer)).encode("utf-8"), True)

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        with_body: bool,
        allow: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if allow is not None:
            self.send_header("Allow", allow)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def end_headers(self) -> None:
        # Here, so that the server's own error answers (a malformed request) carry them.
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _failed(self, error: Exception) -> str:
        message = f"the editor failed: {_one_line(error)}"
        print(f"qa-site edit: {message}", file=sys.stderr)
        if self.server.debug:
            traceback.print_exception(error)
        return message

    def version_string(self) -> str:
        """The Server header: the editor's name, not Python's version."""
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no line per request (writes are said by ``_call``)."""


def _one_line(value: object) -> str:
    """An error or a path from a request, as one short line of a message."""
    if isinstance(value, BaseException):
        text = f"{type(value).__name__}: {value}" if str(value) else type(value).__name__
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _outcome(status: int, body: str) -> str:
    """A call's answer as one line on stderr: what was saved, or why not."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    if status == 200:
        path = answer.get("path") if isinstance(answer, dict) else None
        return f"done ({path})" if isinstance(path, str) else "done"
    message = answer.get("error") if isinstance(answer, dict) else None
    return f"refused ({status}): {_one_line(message)}"
