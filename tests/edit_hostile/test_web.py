"""The web against ``qa-site edit``: requests from other hosts and sites are refused, no
answer lets another origin read it, and hostile markup in the files or in a preview is
shown as text. These tests run the real server on 127.0.0.1.

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

import html.parser
import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.edit.app import EditorApp
from generator.edit.server import TOKEN_HEADER
from generator.render.markup import NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS
from tests.support.edit_forms import (
    PRESENTED,
    TEAM,
    TOKEN,
    Served,
    raw_request,
    serving,
    snapshot_of,
    unchanged_call,
)


@pytest.fixture
def served(app: EditorApp, repo: Path) -> Iterator[Served]:
    with serving(app, repo) as running:
        yield running


def _own_call(served: Served) -> list[tuple[str, str]]:
    return [
        ("Content-Type", "application/json"),
        (TOKEN_HEADER, TOKEN),
        ("Origin", f"http://{served.host}"),
        ("Sec-Fetch-Site", "same-origin"),
    ]


def _progress(repo: Path) -> bytes:
    """A save of the presented review that the editor takes from its own page: action
    A3 marked done."""
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    return json.dumps(payload).encode("utf-8")


def test_the_editors_own_save_is_taken(served: Served) -> None:
    # What the refusals below are measured against.
    answer = raw_request(served, "POST", "/api/save", _progress(served.repo), _own_call(served))
    assert answer.status == 200
    assert json.loads(answer.body)["saved"] is True


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1.evil.example:{port}",
        "evil.example:{port}",
        "localhost.:{port}",
        "LOCALHOST:{port}",
        "127.0.0.1",
        "localhost",
        "[::1]:{port}",
        "127.0.0.1:{port} ",
        "127.0.0.1:{port}.",
        "127.1:{port}",
        "2130706433:{port}",
        "0x7f000001:{port}",
        "127.0.0.2:{port}",
        "127.0.0.1:{port}@evil.example",
        "",
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_another_host_is_refused_without_the_token(served: Served, host: str, method: str) -> None:
    before = snapshot_of(served.repo / "reviews")
    headers = [("Host", host.format(port=served.port)), *_own_call(served)[:2]]
    body = _progress(served.repo) if method == "POST" else None
    path = "/api/save" if method == "POST" else f"/edit?file={PRESENTED}"
    answer = raw_request(served, method, path, body, headers)
    assert answer.status == 421
    assert TOKEN.encode() not in answer.body
    assert snapshot_of(served.repo / "reviews") == before


def test_a_request_without_a_host_is_refused(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    try:
        connection.putrequest("GET", f"/{TOKEN}/", skip_host=True)
        connection.endheaders()
        response = connection.getresponse()
        assert (response.status, TOKEN.encode() in response.read()) == (421, False)
    finally:
        connection.close()


CROSS_SITE: dict[str, list[tuple[str, str]]] = {
    "origin-null": [("Origin", "null")],
    "origin-with-path": [("Origin", "http://127.0.0.1:{port}/edit")],
    "origin-https": [("Origin", "https://127.0.0.1:{port}")],
    "origin-other-site": [("Origin", "http://evil.example")],
    "origin-localhost": [("Origin", "http://localhost:{port}")],
    "origin-twice": [("Origin", "http://evil.example"), ("Origin", "http://127.0.0.1:{port}")],
    "cross-site": [("Sec-Fetch-Site", "cross-site")],
    "same-site": [("Sec-Fetch-Site", "same-site")],
    "text-plain": [("Content-Type", "text/plain")],
    "form": [("Content-Type", "application/x-www-form-urlencoded")],
    "multipart": [("Content-Type", "multipart/form-data; boundary=x")],
    "json-and-text": [("Content-Type", "application/json, text/plain")],
    "no-token": [(TOKEN_HEADER, "")],
    "wrong-token": [(TOKEN_HEADER, TOKEN + "x")],
    "token-prefix": [(TOKEN_HEADER, TOKEN[:-1])],
    "wrong-token-first": [(TOKEN_HEADER, "wrong"), (TOKEN_HEADER, TOKEN)],
}


@pytest.mark.parametrize("change", list(CROSS_SITE))
def test_a_call_from_anywhere_but_our_own_page_is_refused(served: Served, change: str) -> None:
    before = snapshot_of(served.repo / "reviews")
    changed = [(n, v.format(port=served.port)) for n, v in CROSS_SITE[change]]
    names = {name.lower() for name, _ in changed}
    headers = [(n, v) for n, v in _own_call(served) if n.lower() not in names] + changed
    answer = raw_request(served, "POST", "/api/save", _progress(served.repo), headers)
    assert answer.status in (403, 415)
    assert "error" in json.loads(answer.body)
    assert snapshot_of(served.repo / "reviews") == before


@pytest.mark.parametrize(
    "body",
    [b"\xef\xbb\xbf" + b'{"body": "x"}', b'{"body": "x"', b'["body"]', b"\xff\xfe{}", b"", b"null"],
    ids=["bom", "cut-short", "list", "utf-16", "empty", "null"],
)
def test_a_call_that_is_not_a_json_object_is_refused_with_a_400(
    served: Served, body: bytes
) -> None:
    answer = raw_request(served, "POST", "/api/preview", body, _own_call(served))
    assert answer.status == 400
    assert json.loads(answer.body)["error"]


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"],
    ids=["deep-list", "deep-value"],
)
def test_deeply_nested_json_is_refused_with_a_400(served: Served, body: bytes) -> None:
    answer = raw_request(served, "POST", "/api/preview", body, _own_call(served))
    assert answer.status == 400
    assert json.loads(answer.body)["error"]


def test_a_preview_of_a_lone_surrogate_is_refused_with_a_400(served: Served) -> None:
    answer = raw_request(
        served, "POST", "/api/preview", b'{"body": "a\\ud800b"}', _own_call(served)
    )
    assert answer.status == 400


def test_a_get_never_writes_whatever_it_carries(served: Served) -> None:
    before = snapshot_of(served.repo / "reviews")
    for path in (
        f"/api/save?token={TOKEN}&file={PRESENTED}",
        f"/api/new?kind=review&where={TEAM}&date=2017-03-01",
        f"/edit?file={PRESENTED}&data=x&{TOKEN_HEADER}={TOKEN}",
    ):
        answer = raw_request(served, "GET", path, headers=[(TOKEN_HEADER, TOKEN)])
        assert answer.status in (200, 404)
    assert snapshot_of(served.repo / "reviews") == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", f"/edit?file={PRESENTED}", None),
        ("GET", "/static/edit.js", None),
        ("GET", "/nowhere", None),
        ("HEAD", f"/edit?file={PRESENTED}", None),
        ("OPTIONS", "/api/save", None),
        ("POST", "/api/save", b"{}"),
        ("POST", "/api/check", b"{}"),
    ],
)
def test_no_answer_lets_another_origin_read_it(
    served: Served, method: str, path: str, body: bytes | None
) -> None:
    headers = [
        ("Origin", "http://evil.example"),
        ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", TOKEN_HEADER),
    ]
    answer = raw_request(served, method, path, body, headers)
    names = {name.lower() for name, _ in answer.headers}
    assert [n for n in names if n.startswith("access-control-")] == []
    assert "x-frame-options" in names
    assert dict((n.lower(), v) for n, v in answer.headers)["x-content-type-options"] == "nosniff"
    if method == "OPTIONS":
        assert answer.status == 405
    if method == "HEAD":
        assert (answer.status, answer.body) == (200, b"")


XSS = [
    '"><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "</option></select><img src=x onerror=alert(1)>",
    "</template><svg onload=alert(1)>",
    "{{ token }}{% raw %}",
    "<!--",
]
_INJECTED_TAGS = {"img", "svg", "iframe", "object", "embed", "base", "style", "math", "frame"}


class _Page(html.parser.HTMLParser):
    """A page's elements, and the text of each text area, as a browser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.areas: dict[str, str] = {}
        self._area: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "textarea":
            self._area = dict(attrs).get("id") or ""
            self.areas[self._area] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._area = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._area is not None:
            self.areas[self._area] += data

    def area_value(self, name: str) -> str:
        """A text area's value: a browser drops one line break right after its start tag."""
        value = self.areas[name]
        return value[1:] if value.startswith("\n") else value


def _assert_nothing_injected(page: _Page) -> None:
    tags = [tag for tag, _ in page.elements]
    assert sorted(set(tags) & _INJECTED_TAGS) == []
    assert [attrs for tag, attrs in page.elements if tag == "script"] == [
        {"src": "static/edit.js", "defer": None}
    ]
    assert [(t, a) for t, attrs in page.elements for a in attrs if a.startswith("on")] == []
    addresses = [
        (value or "").strip().lower()
        for _, attrs in page.elements
        for name, value in attrs.items()
        if name in ("href", "src", "action", "formaction")
    ]
    # Relative addresses below the session's key, fragments, the empty icon: never a
    # scheme (javascript:, http:) or another host.
    assert [a for a in addresses if a.startswith("/") or a.startswith("\\")] == []
    assert [a for a in addresses if ":" in a.split("?")[0] and a != "data:,"] == []


def _plant_hostile_content(repo: Path) -> tuple[str, str, str]:
    """A presented review and minutes whose every value is hostile markup, and a borough,
    team and standard named in it; (review path, meeting path, the review's findings)."""
    one, two, three, four, five, six, seven, eight, _ = XSS
    review = {
        "status": "presented",
        "framework_version": 1,
        "reviewers": [{"name": one, "role": two}],
        "evidence": ["finance", one],
        "ratings": {
            "S01": one,
            "S02": {"rating": "Good", "note": three, "evidence": [one]},
            two: 5,
        },
        "cases": [
            {
                "ref": one,
                "worker": three,
                "interviewed": [six],
                "record_reviewed": True,
                "grades": {one: two, "S01": six},
            }
        ],
        "actions": [
            {
                "id": one,
                "standards": [seven],
                "action": three,
                "owner": five,
                "due": one,
                "status": six,
                "completed": four,
            }
        ],
        "amendments": [{"date": one, "reason": three, "by": eight}],
    }
    findings = "\n".join([*XSS, "[link](javascript:alert(1))", "<a href='javascript:x'>a</a>"])
    path = "reviews/hammersmith-fulham/assessment/2016-06-01.md"
    (repo / path).write_text(f"---\n{json.dumps(review)}\n---\n{findings}", encoding="utf-8")
    meeting = {
        "status": one,
        "chairs": [{"role": one, "team": two}],
        "representatives": [{"team": six, "role": three}],
        "cases": [
            {"ref": one, "team": two, "standards": [seven], "summary": three, "decision": eight}
        ],
        "development": [{"title": one, "note": three}],
        "actions": [{"id": one, "standards": [two], "action": three, "due": four, "status": six}],
        "next_meeting": one,
    }
    minutes = "reviews/hammersmith-fulham/governance/2016-06-02.md"
    (repo / minutes).write_text(f"---\n{json.dumps(meeting)}\n---\n{findings}", encoding="utf-8")
    (repo / "reviews/hammersmith-fulham/borough.yml").write_text(
        json.dumps({"name": one, "short": two}), encoding="utf-8"
    )
    team = repo / "reviews/hammersmith-fulham/assessment/team.yml"
    team.write_text(
        team.read_text(encoding="utf-8").replace(
            "name: Assessment Team", f"name: {json.dumps(six)}"
        ),
        encoding="utf-8",
    )
    standard = next((repo / "standards").glob("S01-*.md"))
    text = standard.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    standard.write_text(text.replace(title, f"title: {json.dumps(seven)}"), encoding="utf-8")
    return path, minutes, findings


def test_hostile_markup_in_the_files_is_shown_as_text_on_every_page(
    app: EditorApp, repo: Path
) -> None:
    review, minutes, findings = _plant_hostile_content(repo)
    for route, query in [
        ("/", {}),
        ("/files", {}),
        ("/edit", {"file": review}),
        ("/edit", {"file": minutes}),
        ("/edit", {"file": PRESENTED}),
    ]:
        response = app.page(route, query)
        assert response is not None and response.status == 200, (route, query)
        page = _Page(response.body.decode("utf-8"))
        _assert_nothing_injected(page)
        shown = "".join(page.text) + "".join(str(a) for _, at in page.elements for a in at.values())
        # The borough's and the team's names are on every page, the standard's on forms.
        assert XSS[0] in shown and XSS[5] in shown, (route, query)
        if route == "/edit":
            assert XSS[6] in shown
        if route == "/edit" and query["file"] != PRESENTED:
            assert page.area_value("body") == findings
            assert XSS[7] in shown  # a template's braces, shown, never run


def test_findings_that_start_with_a_blank_line_come_back_from_the_form_whole(
    app: EditorApp, repo: Path
) -> None:
    path = "reviews/hammersmith-fulham/assessment/2016-06-01.md"
    (repo / path).write_text(
        "---\nstatus: draft\nframework_version: 2\n---\n\n## Findings\n", encoding="utf-8"
    )
    response = app.page("/edit", {"file": path})
    assert response is not None
    assert _Page(response.body.decode("utf-8")).area_value("body") == "\n## Findings\n"


@pytest.mark.parametrize("name", XSS[:7])
def test_a_hostile_folder_or_path_is_shown_as_text(app: EditorApp, repo: Path, name: str) -> None:
    folder = repo / "reviews/hammersmith-fulham" / name.replace("/", "-")
    folder.mkdir()
    (folder / "2016-06-01.md").write_text("---\nstatus: draft\n---\n", encoding="utf-8")
    for route, query in [
        ("/files", {}),
        ("/edit", {"file": name}),
        ("/edit", {"file": str(folder)}),
    ]:
        response = app.page(route, query)
        assert response is not None and response.status in (200, 400, 403, 404)
        _assert_nothing_injected(_Page(response.body.decode("utf-8")))


def test_the_servers_own_answers_echo_nothing_as_html(served: Served) -> None:
    for path in ["/<script>alert(1)</script>", "/static/<img src=x onerror=1>.js"]:
        answer = raw_request(served, "GET", path.replace(" ", "%20"))
        headers = {n.lower(): v for n, v in answer.headers}
        assert answer.status == 404
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert headers["x-content-type-options"] == "nosniff"


PREVIEW_ATTACKS = [
    *XSS,
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](jav&#x61;script:alert(1))",
    "[a](java\tscript:alert(1))",
    "[a]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "![i](javascript:alert(1))",
    '![i](x" onerror="alert(1))',
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](vbscript:msgbox)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=//evil.example><button>go</button></form>",
    "<details open ontoggle=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("markdown", PREVIEW_ATTACKS, ids=range(len(PREVIEW_ATTACKS)))
def test_the_preview_is_neutralised(app: EditorApp, markdown: str) -> None:
    fragment = app.call("preview", {"body": f"### Findings\n\n{markdown}\n"})["html"]
    page = _Page(fragment)
    assert {tag for tag, _ in page.elements} <= NARRATIVE_TAGS
    for tag, attrs in page.elements:
        assert set(attrs) <= NARRATIVE_ATTRIBUTES.get(tag, frozenset()) | {"id", "style"}, tag
        if "style" in attrs:
            assert tag in ("td", "th")
        href = (attrs.get("href") or "").strip().lower()
        assert href.startswith(("http://", "https://", "mailto:", "/", "#")) or not href
