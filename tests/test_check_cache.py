"""A check with the parse cache finds what a check without it finds.

``mkdocs serve`` keeps one ``ParseCache`` across rebuilds, and what the check
worked out from each unchanged file (its model, its problems, the guard's
findings) is kept with the file's document. After an edit, every problem, every
accepted finding and the programme must be exactly those of a fresh check:
edits to a review, and to the files other files are checked against (a
standard, the framework, a team, a meeting), each both ways.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.check.rules import reviews as review_rules
from generator.check.validate import Validation
from generator.load.repository import ParseCache
from generator.privacy import guard
from generator.privacy.names import DenyList
from tests.support.paths import ROOT

AS_OF = dt.date(2017, 1, 1)
REVIEW = "reviews/westminster/mental-health/2011-11-24.md"
STANDARD = "standards/S07-safeguarding-enquiries.md"
STANDARD_NOT_CRITICAL = "standards/S02-desired-outcomes-sought-checked.md"
TEAM = "reviews/westminster/mental-health/team.yml"
FRAMEWORK = "standards/framework.yml"
MEETING = "reviews/hammersmith-fulham/governance/2011-04-14.md"
NAMES = ["Anne Whitlock", "Mary Jones"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the sample content: three boroughs, meetings, accepted findings."""
    for folder in ("reviews", "standards"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(repo: Path, path: str, old: str, new: str) -> Callable[[], None]:
    """Replace ``old`` with ``new`` in the file at ``path``; returns what puts it back."""
    target = repo / path
    before = target.read_text(encoding="utf-8")
    assert old in before, f"{old!r} is not in {path}"
    target.write_text(before.replace(old, new, 1), encoding="utf-8")
    return lambda: target.write_text(before, encoding="utf-8")


def assert_same(cached: Validation, fresh: Validation) -> None:
    assert cached.problems == fresh.problems
    assert [p.severity for p in cached.problems] == [p.severity for p in fresh.problems]
    assert cached.accepted == fresh.accepted
    assert cached.programme == fresh.programme
    assert repr(cached.programme) == repr(fresh.programme)


# Each edit changes what is found in other files than the one edited, or in it.
EDITS = {
    # Its own problems: a label off the scale, a phone number, a misspelt key.
    "review": (
        REVIEW,
        "  S01: Adequate\n",
        "  S01: Adequte\n  S99: Good\nstaus: draft\n",
    ),
    "review-body": (REVIEW, "\n---\n", "\n---\nCall the duty desk on 020 7946 0991.\n\n"),
    # A standard made critical: a review rating it Adequate must now have an action for it.
    "standard-critical": (STANDARD_NOT_CRITICAL, "domain: ", "critical: true\ndomain: "),
    # A standard of a later version only: reviews and meetings of version 1 may not name it.
    "standard-version": (STANDARD, "critical: true\n", "critical: true\nintroduced: 2\n"),
    # A standard that no longer reads: references to it are neither confirmed nor reported.
    "standard-broken": (STANDARD, "id: S07\n", "id: [S07\n"),
    # A standard renamed: its id no longer matches its file name.
    "standard-id": (STANDARD, "id: S07\n", "id: S70\n"),
    # A team closed before its reviews: each later review is dated after it closed.
    "team-closed": (TEAM, "name: ", "closed: 2011-01-01\nname: "),
    "team-broken": (TEAM, "service: mental-health\n", "service: Mental Health\n"),
    # The evidence sources reviews cite, the line critical standards are held to,
    # the scale's labels and the version.
    "framework-evidence": (FRAMEWORK, "  - {id: performance-data", "  - {id: performance-dat"),
    "framework-line": (FRAMEWORK, "adequate_or_above: Adequate", "adequate_or_above: Good"),
    "framework-label": (FRAMEWORK, "label: Adequate", "label: Adequat"),
    "framework-version": (FRAMEWORK, "version: 1", "version: 2"),
    # A meeting's teams and standards are the borough's and the catalogue's.
    "meeting": (MEETING, "team: learning-disability\n", "team: learning-disabilty\n"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_a_cached_check_after_an_edit_is_a_fresh_check(repo: Path, name: str) -> None:
    path, old, new = EDITS[name]
    cache = ParseCache()
    first = check(repo, AS_OF, cache=cache, deny=DenyList.of(NAMES))
    assert_same(first, check(repo, AS_OF, deny=DenyList.of(NAMES)))

    put_back = edit(repo, path, old, new)
    # The deny-list is read again for every build, as the plugin does.
    edited = check(repo, AS_OF, cache=cache, deny=DenyList.of(NAMES))
    assert cache.parsed == 1
    assert edited.problems != first.problems or edited.programme != first.programme
    assert_same(edited, check(repo, AS_OF, deny=DenyList.of(NAMES)))

    put_back()
    again = check(repo, AS_OF, cache=cache, deny=DenyList.of(NAMES))
    assert_same(again, check(repo, AS_OF, deny=DenyList.of(NAMES)))
    assert_same(again, first)


def test_a_cached_check_with_another_deny_list_is_a_fresh_check(repo: Path) -> None:
    cache = ParseCache()
    check(repo, AS_OF, cache=cache)
    named = check(repo, AS_OF, cache=cache, deny=DenyList.of(NAMES))
    assert any("a name" in p.message for p in named.problems)
    assert_same(named, check(repo, AS_OF, deny=DenyList.of(NAMES)))
    assert_same(check(repo, AS_OF, cache=cache), check(repo, AS_OF))


def test_after_a_review_is_edited_only_that_review_is_checked_again(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ParseCache()
    first = check(repo, AS_OF, cache=cache)
    reviewed: list[str] = []
    guarded: list[str] = []
    check_review = review_rules.check_review
    guard_document = guard._guard_document
    monkeypatch.setattr(
        review_rules,
        "check_review",
        lambda ctx, review, *rest: (
            reviewed.append(review.source.path) or check_review(ctx, review, *rest)
        ),
    )
    monkeypatch.setattr(
        guard,
        "_guard_document",
        lambda document, *rest: guarded.append(document.path) or guard_document(document, *rest),
    )
    edit(repo, REVIEW, "  S02: Adequate\n", "  S02: Good\n")
    edited = check(repo, AS_OF, cache=cache)
    assert (reviewed, guarded) == ([REVIEW], [REVIEW])
    assert_same(edited, check(repo, AS_OF))
    # Every other review is the very model the first check made.
    assert first.programme is not None and edited.programme is not None
    before = {r.source.path: r.review for r in first.programme.reviews}
    after = {r.source.path: r.review for r in edited.programme.reviews}
    assert after.keys() == before.keys()
    assert [p for p in after if after[p] is not before[p]] == [REVIEW]


def test_after_a_standard_is_edited_every_review_is_checked_against_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ParseCache()
    first = check(repo, AS_OF, cache=cache)
    assert first.programme is not None
    reviewed: list[str] = []
    check_review = review_rules.check_review
    monkeypatch.setattr(
        review_rules,
        "check_review",
        lambda ctx, review, *rest: (
            reviewed.append(review.source.path) or check_review(ctx, review, *rest)
        ),
    )
    edit(repo, STANDARD, "critical: true", "critical: false")
    check(repo, AS_OF, cache=cache)
    assert sorted(reviewed) == sorted(r.source.path for r in first.programme.reviews)


def test_what_a_check_keeps_is_freed_as_soon_as_it_is_dropped(repo: Path) -> None:
    """No reference cycles: a programme's objects left for the garbage collector are
    freed all at once when the process ends, which a reviewer waits for."""
    check(repo, AS_OF)
    gc.collect()
    gc.disable()
    try:
        cache = ParseCache()
        kept = [check(repo, AS_OF, cache=cache, deny=DenyList.of(NAMES)) for _ in range(2)]
        edit(repo, REVIEW, "  S01: Adequate\n", "  S01: Adequte\n")
        kept.append(check(repo, AS_OF, cache=cache))
        kept.append(check(repo, AS_OF))
        del kept, cache
        assert gc.collect() == 0
    finally:
        gc.enable()
