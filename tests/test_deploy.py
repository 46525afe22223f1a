"""`qa-site deploy`: a built site published into a web server's folder.

The site (a folder, a .zip or a .tar.gz of one) is copied whole beside the
target and swapped in only then; anything wrong with the site, the archive or
the target is refused before anything is written. Exit codes: 0 published,
1 the site refused, 2 a usage error, a target refused or in use.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import shutil
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

import generator.share.deploy as deploy_module
from tests.support.cli import CliResult, run_cli
from tests.support.repos import RepoFactory
from tests.support.sites import BuiltSite

MARK = b'<meta name="qa-site-edition" content="internal">'


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones included) and a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def deploy(source: Path, target: Path, *extra: str) -> CliResult:
    """`qa-site deploy SOURCE --to TARGET` where a web server would run it: outside any
    reviews repository."""
    return run_cli("deploy", str(source), "--to", str(target), *extra, cwd=target.parent)


def summary(target: Path, files: int, edition: str = "internal") -> str:
    """The line a deploy ends with, up to its time; run beside the target, it names the
    target as a relative path."""
    return f"qa-site deploy: published the {edition} edition to {target.name}/: {files} files ("


@pytest.fixture
def site(published: BuiltSite) -> Path:
    """The sample site as `qa-site build` built it (once for the run; read-only)."""
    assert MARK in (published.site / "index.html").read_bytes()
    return published.site


@pytest.fixture
def www(tmp_path: Path) -> Path:
    """Where the web server serves the site from: not there yet."""
    (tmp_path / "server").mkdir()
    return tmp_path / "server" / "qa-site"


def zipped(site: Path, archive: Path, top: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(site.rglob("*")):
            out.write(path, f"{top}{path.relative_to(site).as_posix()}")
    return archive


def tarred(site: Path, archive: Path, top: str = ".") -> Path:
    with tarfile.open(archive, "w:gz") as out:
        out.add(site, top)
    return archive


def changed_site(site: Path, folder: Path, page: bytes) -> Path:
    """A copy of ``site`` with one page more: another build of it."""
    shutil.copytree(site, folder)
    (folder / "changed.html").write_bytes(page)
    return folder


SOURCES: dict[str, Callable[[Path, Path], Path]] = {
    "folder": lambda site, tmp: site,
    "zip": lambda site, tmp: zipped(site, tmp / "intranet-site.zip"),
    "zip-with-a-top-folder": lambda site, tmp: zipped(site, tmp / "site.zip", "site/"),
    "tar.gz": lambda site, tmp: tarred(site, tmp / "site.tar.gz"),
    "tar.gz-with-a-top-folder": lambda site, tmp: tarred(site, tmp / "site.tgz", "site"),
}


@pytest.mark.parametrize("kind", SOURCES)
def test_a_folder_or_an_archive_publishes_the_site_byte_for_byte(
    site: Path, www: Path, tmp_path: Path, kind: str
) -> None:
    source = SOURCES[kind](site, tmp_path)
    result = deploy(source, www)
    assert result.returncode == 0, result.stderr
    assert tree(www) == tree(site)
    assert result.stderr.startswith(summary(www, len(tree(site))))
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


def test_a_second_deploy_replaces_the_first_and_keeps_the_servers_own_files(
    site: Path, www: Path, tmp_path: Path
) -> None:
    first = changed_site(site, tmp_path / "first", b"first")
    assert deploy(first, www).returncode == 0
    (www / ".htaccess").write_text("Require ip 10.0.0.0/8", encoding="utf-8")
    (www / "web.config").write_text("<configuration/>", encoding="utf-8")

    result = deploy(zipped(site, tmp_path / "second.zip"), www)

    assert result.returncode == 0, result.stderr
    assert tree(www) == {
        **tree(site),
        ".htaccess": hashlib.sha256(b"Require ip 10.0.0.0/8").hexdigest(),
        "web.config": hashlib.sha256(b"<configuration/>").hexdigest(),
    }
    assert not (www / "changed.html").exists()
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


def test_a_folder_holding_only_the_servers_settings_is_published_into(
    site: Path, www: Path
) -> None:
    www.mkdir()
    (www / "Web.config").write_text("<configuration/>", encoding="utf-8")
    result = deploy(site, www)
    assert result.returncode == 0, result.stderr
    assert set(tree(www)) == {*tree(site), "Web.config"}


def test_hidden_entries_of_the_site_are_left_out(site: Path, www: Path, tmp_path: Path) -> None:
    source = tmp_path / "site"
    shutil.copytree(site, source)
    (source / ".git").mkdir()
    (source / ".git" / "HEAD").write_text("ref: refs/heads/pages", encoding="utf-8")
    (source / "assets" / ".DS_Store").write_bytes(b"\0")
    result = deploy(source, www)
    assert result.returncode == 0, result.stderr
    assert tree(www) == tree(site)
    assert f"{len(tree(site))} files, 2 hidden entries left out (" in result.stderr


@pytest.mark.parametrize(
    "failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]
)
def test_a_deploy_that_fails_partway_leaves_the_target_as_it_was(
    site: Path,
    www: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
) -> None:
    assert deploy(changed_site(site, tmp_path / "first", b"first"), www).returncode == 0
    before = tree(www)
    copied: list[Path] = []
    copy = deploy_module.copy_file

    def copy_then_fail(stream: IO[bytes], path: Path) -> None:
        if len(copied) == 20:
            raise failure
        copy(stream, path)
        copied.append(path)

    monkeypatch.setattr(deploy_module, "copy_file", copy_then_fail)
    result = deploy(zipped(site, tmp_path / "second.zip"), www)

    assert len(copied) == 20
    if isinstance(failure, OSError):
        assert (result.returncode, result.stderr) == (
            2,
            f"qa-site deploy: could not write {www}: No space left on device; nothing was "
            f"replaced, and {www} was left as it was\n",
        )
    else:
        assert (result.returncode, result.stderr) == (1, "\nAborted!\n")
    assert tree(www) == before
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


def test_a_deploy_while_another_holds_the_lock_is_refused(site: Path, www: Path) -> None:
    with open(www.parent / ".qa-site.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = deploy(site, www)
    assert result.returncode == 2
    assert result.stderr.endswith(
        f"Error: another run is writing {www} now; try again when it has finished\n"
    )
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock"]


# Hostile archives: each entry that could write outside the folder, or is not a
# plain file or folder, is named with its place in the archive; nothing is written.


def tar_entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    entry = tarfile.TarInfo(name)
    entry.type, entry.linkname = kind, link
    return entry


TAR_ENTRIES = {
    "absolute": (
        tar_entry("/etc/cron.d/evil"),
        "is an absolute path, which would be written outside the folder",
    ),
    "dot-dot": (tar_entry("assets/../../evil.html"), "goes up out of the folder (..)"),
    "symbolic-link": (
        tar_entry("passwd", tarfile.SYMTYPE, "/etc/passwd"),
        "is a symbolic link (to '/etc/passwd')",
    ),
    "hard-link": (
        tar_entry("shadow", tarfile.LNKTYPE, "/etc/shadow"),
        "is a hard link (to '/etc/shadow')",
    ),
    "character-device": (tar_entry("dev/mem", tarfile.CHRTYPE), "is a device file"),
    "block-device": (tar_entry("dev/sda", tarfile.BLKTYPE), "is a device file"),
    "named-pipe": (tar_entry("pipe", tarfile.FIFOTYPE), "is a named pipe"),
    "drive": (
        tar_entry("C:/inetpub/wwwroot/evil.html"),
        "is an absolute path, which would be written outside the folder",
    ),
    "backslash-dot-dot": (tar_entry("..\\evil.html"), "goes up out of the folder (..)"),
    "stream": (
        tar_entry("index.html:hidden"),
        "has a ':' in its name, which Windows reads as a drive or a stream",
    ),
    "twice": (tar_entry("index.html"), "appears more than once in the archive"),
}


def hostile_tar(archive: Path, index: bytes, hostile: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(archive, "w:gz") as out:
        page = tar_entry("index.html")
        page.size = len(index)
        out.addfile(page, io.BytesIO(index))
        for entry in hostile:
            out.addfile(entry, io.BytesIO(b"") if entry.isreg() else None)
    return archive


def assert_nothing_written(www: Path) -> None:
    assert sorted(p.name for p in www.parent.iterdir()) == []


@pytest.mark.parametrize("kind", TAR_ENTRIES)
def test_a_hostile_tar_entry_is_refused_by_name(site: Path, www: Path, kind: str) -> None:
    entry, reason = TAR_ENTRIES[kind]
    archive = hostile_tar(
        www.parent.parent / "site.tar.gz", (site / "index.html").read_bytes(), [entry]
    )
    result = deploy(archive, www)
    shown = entry.name if kind != "twice" else "index.html"
    lines = [f"{archive}:2: {shown}: {reason}"]
    if kind == "twice":
        lines.insert(0, f"{archive}:1: index.html: {reason}")
    assert (result.returncode, result.stderr) == (
        1,
        "".join(line + "\n" for line in lines)
        + f"qa-site deploy: {len(lines)} error{'s' if len(lines) > 1 else ''}; nothing was "
        "written\n",
    )
    assert_nothing_written(www)


def test_every_hostile_entry_of_an_archive_is_reported_at_once(site: Path, www: Path) -> None:
    entries = [entry for entry, _ in TAR_ENTRIES.values() if entry.name != "index.html"]
    archive = hostile_tar(
        www.parent.parent / "site.tar.gz", (site / "index.html").read_bytes(), entries
    )
    result = deploy(archive, www)
    assert result.returncode == 1
    reported = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in reported[:-1]] == [
        f"{archive}:{number}" for number in range(2, len(entries) + 2)
    ]
    assert reported[-1] == f"qa-site deploy: {len(entries)} errors; nothing was written"
    assert_nothing_written(www)


def zip_entry(name: str, mode: int = 0o100644) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name)
    entry.create_system, entry.external_attr = 3, mode << 16
    return entry


ZIP_ENTRIES = {
    "dot-dot": (zip_entry("../../evil.html"), "goes up out of the folder (..)"),
    "backslash-dot-dot": (zip_entry("site\\..\\..\\evil.html"), "goes up out of the folder (..)"),
    "absolute": (
        zip_entry("/var/www/evil.html"),
        "is an absolute path, which would be written outside the folder",
    ),
    "symbolic-link": (zip_entry("passwd", 0o120777), "is a symbolic link"),
    "device": (zip_entry("mem", 0o020600), "is a device file"),
    "named-pipe": (zip_entry("pipe", 0o010644), "is a named pipe"),
}


@pytest.mark.parametrize("kind", ZIP_ENTRIES)
def test_a_hostile_zip_entry_is_refused_by_name(site: Path, www: Path, kind: str) -> None:
    entry, reason = ZIP_ENTRIES[kind]
    archive = www.parent.parent / "site.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("index.html", (site / "index.html").read_bytes())
        out.writestr(entry, b"/etc/passwd")
    result = deploy(archive, www)
    assert (result.returncode, result.stderr) == (
        1,
        f"{archive}:2: {entry.filename}: {reason}\nqa-site deploy: 1 error; nothing was written\n",
    )
    assert_nothing_written(www)


# Files a web server would read as its settings, or run as code: a site never brings
# one (a pull request adding docs/web.config could open the internal edition to
# everyone), and the served folder's own web.config is always kept.


def settings(name: str) -> str:
    return (
        f"'{name}' holds a web server's settings (IIS reads who may read a folder from its "
        "web.config), which a site never brings; the served folder's own web.config is kept"
    )


def code(extension: str) -> str:
    return (
        f"is a .{extension} file, which a web server may run as code on the server rather "
        "than serve; a built site holds none"
    )


SERVER_FILES = {
    "web.config": settings("web.config"),
    "reports/Web.Config": settings("Web.Config"),
    "forms/WEB.CONFIG/index.html": settings("WEB.CONFIG"),
    "downloads/report.aspx": code("aspx"),
    "legacy/DEFAULT.ASP": code("ASP"),
    "api/handler.ashx": code("ashx"),
    "api/service.asmx": code("asmx"),
    "trace.axd": code("axd"),
    "views/page.cshtml": code("cshtml"),
    "contact.php": code("php"),
    "report.php.html": code("php"),
    "search/run.cgi": code("cgi"),
    "search/run.pl": code("pl"),
    "includes/footer.shtml": code("shtml"),
    "login.jsp": code("jsp"),
    "bin/Council.Intranet.dll": code("dll"),
    "App_Code/Site.cs": "is inside 'App_Code', whose code ASP.NET compiles and runs on the "
    "server",
}


@pytest.fixture
def served_site(site: Path, www: Path) -> dict[str, str]:
    """The target serves the site, with its own web.config: what it holds then."""
    assert deploy(site, www).returncode == 0
    (www / "web.config").write_text(
        '<configuration><system.webServer><security><authorization><add accessType="Allow" '
        'roles="QA readers" /></authorization></security></system.webServer></configuration>',
        encoding="utf-8",
    )
    return tree(www)


def test_a_site_folder_bringing_server_settings_or_code_is_refused(
    site: Path, www: Path, tmp_path: Path, served_site: dict[str, str]
) -> None:
    source = tmp_path / "site"
    shutil.copytree(site, source)
    for name in SERVER_FILES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("<configuration/>", encoding="utf-8")
    result = deploy(source, www)
    lines = sorted(f"{source / name}:1: file: {reason}" for name, reason in SERVER_FILES.items())
    assert (result.returncode, result.stderr) == (
        1,
        "".join(line + "\n" for line in lines)
        + f"qa-site deploy: {len(lines)} errors; nothing was written\n",
    )
    assert tree(www) == served_site
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


def test_an_archive_bringing_server_settings_or_code_is_refused(
    site: Path, www: Path, tmp_path: Path, served_site: dict[str, str]
) -> None:
    """In an archive's top folder too: each entry by its place in the archive."""
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("site/index.html", (site / "index.html").read_bytes())
        for name in SERVER_FILES:
            out.writestr(f"site/{name}", b"<configuration/>")
    result = deploy(archive, www)
    lines = [
        f"{archive}:{number}: site/{name}: {reason}\n"
        for number, (name, reason) in enumerate(SERVER_FILES.items(), start=2)
    ]
    assert (result.returncode, result.stderr) == (
        1,
        "".join(lines) + f"qa-site deploy: {len(lines)} errors; nothing was written\n",
    )
    assert tree(www) == served_site


def test_the_servers_own_web_config_is_kept_in_any_case(
    site: Path, www: Path, served_site: dict[str, str]
) -> None:
    (www / "web.config").rename(www / "Web.Config")
    result = deploy(site, www)
    assert result.returncode == 0, result.stderr
    assert tree(www) == {
        **tree(site),
        "Web.Config": served_site["web.config"],
    }


# Names a web server's disk cannot hold as they are: Windows refuses them, or takes two
# of them for one. They are refused on any server, so that a site publishes the same
# everywhere; every one is listed, and nothing is written.

UNPORTABLE_NAMES = {
    "CON": "'CON' is the name of the device CON, which Windows opens in its place "
    "whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)",
    "assets/aux.js": "'aux.js' is the name of the device AUX, which Windows opens in its "
    "place whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)",
    "reports/Lpt9/index.html": "'Lpt9' is the name of the device LPT9, which Windows opens "
    "in its place whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)",
    "downloads/nul .tar.gz": "'nul .tar.gz' is the name of the device NUL, which Windows "
    "opens in its place whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to "
    "LPT9)",
    "prn.html": "'prn.html' is the name of the device PRN, which Windows opens in its place "
    "whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)",
    "com1": "'com1' is the name of the device COM1, which Windows opens in its place "
    "whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)",
    "reports./index.html": "'reports.' ends in a dot, which Windows takes off a name",
    "notes ": "'notes ' ends in a space, which Windows takes off a name",
    "a<b.html": "has the character '<' in its name, which Windows allows in no name",
    "a>b.html": "has the character '>' in its name, which Windows allows in no name",
    'say"hi".html': "has the character '\"' in its name, which Windows allows in no name",
    "a|b.html": "has the character '|' in its name, which Windows allows in no name",
    "why?.html": "has the character '?' in its name, which Windows allows in no name",
    "all*.html": "has the character '*' in its name, which Windows allows in no name",
    "tab\tname.html": "has the character '\\x09' in its name, which Windows allows in no "
    "name",
    "Index.html": "'Index.html' and 'index.html' differ only in case, and Windows holds them "
    "as one name",
    "Assets/logo.svg": "",  # the first of its name: kept
    "assets/site.css": "'assets' and 'Assets' differ only in case, and Windows holds them as "
    "one name",
    "caf\u00e9.html": "",  # composed (NFC): kept
    "cafe\u0301.html": "'cafe\u0301.html' and 'caf\u00e9.html' are one name written in two "
    "Unicode forms (NFC and NFD): they look the same, and some disks (macOS) hold them as one",
}


def test_names_a_windows_server_cannot_hold_are_refused_in_an_archive(
    site: Path, www: Path
) -> None:
    """Each entry after index.html (entry 1), numbered as the archive holds it."""
    entries = [tar_entry(name) for name in UNPORTABLE_NAMES]
    archive = hostile_tar(
        www.parent.parent / "site.tar.gz", (site / "index.html").read_bytes(), entries
    )
    result = deploy(archive, www)
    lines = [
        f"{archive}:{number}: {name.replace(chr(9), chr(92) + 'x09')}: {reason}\n"
        for number, (name, reason) in enumerate(UNPORTABLE_NAMES.items(), start=2)
        if reason
    ]
    assert (result.returncode, result.stderr) == (
        1,
        "".join(lines) + f"qa-site deploy: {len(lines)} errors; nothing was written\n",
    )
    assert_nothing_written(www)


def test_a_zip_of_a_file_and_a_folder_differing_only_in_case_is_refused(
    site: Path, www: Path
) -> None:
    archive = www.parent.parent / "site.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("index.html", (site / "index.html").read_bytes())
        out.writestr("Assets", b"a file")
        out.writestr("assets/site.css", b"")
    result = deploy(archive, www)
    assert (result.returncode, result.stderr) == (
        1,
        f"{archive}:3: assets/site.css: 'assets' and 'Assets' differ only in case, and "
        "Windows holds them as one name\nqa-site deploy: 1 error; nothing was written\n",
    )
    assert_nothing_written(www)


def device(name: str, device: str) -> str:
    return (
        f"'{name}' is the name of the device {device}, which Windows opens in its place "
        "whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9)"
    )


def test_names_a_windows_server_cannot_hold_are_refused_in_a_site_folder(
    site: Path, www: Path, tmp_path: Path
) -> None:
    """Found by the walk, files and folders, in the order of their paths: of two names
    that clash, the later is refused, and a folder once, not each file inside it."""
    source = tmp_path / "site"
    shutil.copytree(site, source)
    for name in [
        "CON",
        "lpt1/index.html",
        "downloads/nul .tar.gz",
        "notes.",
        "summary ",
        "a<b.html",
        "tab\tname.html",
        "A.html",
        "a.html",
        "Team/x.html",
        "team/y.html",
        "cafe\u0301.html",
        "caf\u00e9.html",
    ]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(b"")
    refused = {
        "CON": device("CON", "CON"),
        "a.html": "'a.html' and 'A.html' differ only in case, and Windows holds them as one "
        "name",
        "a<b.html": "has the character '<' in its name, which Windows allows in no name",
        # The decomposed (NFD) name comes first in the order of paths.
        "caf\u00e9.html": "'caf\u00e9.html' and 'cafe\u0301.html' are one name written in "
        "two Unicode forms (NFC and NFD): they look the same, and some disks (macOS) hold "
        "them as one",
        "downloads/nul .tar.gz": device("nul .tar.gz", "NUL"),
        "lpt1": device("lpt1", "LPT1"),
        "notes.": "'notes.' ends in a dot, which Windows takes off a name",
        "summary ": "'summary ' ends in a space, which Windows takes off a name",
        "tab\tname.html": "has the character '\\x09' in its name, which Windows allows in no "
        "name",
        "team": "'team' and 'Team' differ only in case, and Windows holds them as one name",
    }
    result = deploy(source, www)
    lines = sorted(f"{source / name}:1: file: {reason}" for name, reason in refused.items())
    assert (result.returncode, result.stderr) == (
        1,
        "".join(line.replace("\t", "\\x09") + "\n" for line in lines)
        + f"qa-site deploy: {len(lines)} errors; nothing was written\n",
    )
    assert_nothing_written(www)


def test_a_damaged_archive_is_refused_and_nothing_is_replaced(
    site: Path, www: Path, tmp_path: Path
) -> None:
    assert deploy(site, www).returncode == 0
    before = tree(www)
    archive = tarred(site, tmp_path / "site.tar.gz")
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    result = deploy(archive, www)
    assert result.returncode == 1
    assert result.stderr.startswith(f"qa-site deploy: {archive} cannot be read as an archive: ")
    assert tree(www) == before
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


def test_a_link_in_a_site_folder_is_refused(site: Path, www: Path, tmp_path: Path) -> None:
    source = tmp_path / "site"
    shutil.copytree(site, source)
    (source / "assets" / "passwd").symlink_to("/etc/passwd")
    (source / "secrets").symlink_to("/etc", target_is_directory=True)
    result = deploy(source, www)
    assert (result.returncode, result.stderr) == (
        1,
        f"{source / 'assets/passwd'}:1: file: is a link, which is never copied\n"
        f"{source / 'secrets'}:1: file: is a link, which is never copied\n"
        "qa-site deploy: 2 errors; nothing was written\n",
    )
    assert_nothing_written(www)


def file_for_a_link(page: Path, secrets: Path) -> None:
    page.unlink()
    page.symlink_to(secrets / page.name)


def folder_for_a_link(page: Path, secrets: Path) -> None:
    shutil.rmtree(page.parent)
    page.parent.symlink_to(secrets, target_is_directory=True)


def file_for_a_named_pipe(page: Path, secrets: Path) -> None:
    page.unlink()
    os.mkfifo(page)


# What another user of the server puts in place of a page of the site, or of its
# folder, after the walk and before the page is read.
SWAPS: dict[str, Callable[[Path, Path], None]] = {
    "the-file-for-a-link": file_for_a_link,
    "its-folder-for-a-link": folder_for_a_link,
    "the-file-for-a-named-pipe": file_for_a_named_pipe,
}


@pytest.mark.parametrize("swap", SWAPS)
def test_a_file_of_a_site_folder_swapped_after_the_walk_is_refused_as_it_is_opened(
    site: Path, www: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """Between the walk and the copy, a file (or a folder above it) becomes a link, or a
    pipe that would keep the read waiting: it is opened never through a link, only a
    file is read, and nothing is replaced."""
    source = tmp_path / "site"
    shutil.copytree(site, source)
    (source / "zz").mkdir()
    (source / "zz" / "page.html").write_text("the last page", encoding="utf-8")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "page.html").write_text("payroll", encoding="utf-8")
    assert deploy(site, www).returncode == 0
    before = tree(www)
    page = source / "zz" / "page.html"  # read last
    swapped: list[str] = []
    copy = deploy_module.copy_file

    def copy_after_the_swap(stream: IO[bytes], path: Path) -> None:
        if not swapped:
            SWAPS[swap](page, secrets)
            swapped.append(swap)
        copy(stream, path)

    monkeypatch.setattr(deploy_module, "copy_file", copy_after_the_swap)
    result = deploy(source, www)

    assert (result.returncode, result.stderr) == (
        1,
        f"qa-site deploy: {page} changed while the site was published: it is now a link, "
        "or not a file, which is never copied; nothing was replaced\n",
    )
    assert tree(www) == before
    assert sorted(p.name for p in www.parent.iterdir()) == [".qa-site.lock", "qa-site"]


class WindowsStat:
    """What Windows' ``lstat`` gives for a junction: the entry's own stat, and the
    reparse tag of a mount point."""

    st_reparse_tag = 0xA0000003  # IO_REPARSE_TAG_MOUNT_POINT

    def __init__(self, real: os.stat_result) -> None:
        self._real = real

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_a_junction_in_a_site_folder_is_refused_before_python_3_12(
    site: Path, www: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before Python 3.12 there is no ``os.path.isjunction``: Windows' ``lstat`` says
    which folder is a junction, and the walk neither copies it nor goes into it."""
    source = tmp_path / "site"
    shutil.copytree(site, source)
    junction = source / "assets" / "shares"
    junction.mkdir()
    (junction / "payroll.csv").write_text("name,salary", encoding="utf-8")
    real = os.lstat

    def lstat(path: str | os.PathLike[str], **kwargs: object) -> object:
        found = real(path, **kwargs)  # type: ignore[arg-type]
        return WindowsStat(found) if Path(path) == junction else found

    monkeypatch.delattr(os.path, "isjunction", raising=False)
    monkeypatch.setattr(os, "lstat", lstat)
    result = deploy(source, www)
    assert (result.returncode, result.stderr) == (
        1,
        f"{junction}:1: file: is a link, which is never copied\n"
        "qa-site deploy: 1 error; nothing was written\n",
    )
    assert_nothing_written(www)


# What is not a built site.


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"page.html": b"<html></html>"}, "is not a site built by qa-site: it has no index.html"),
        (
            {"index.html": b"<html><head><title>Intranet</title></head></html>"},
            "is not a site built by qa-site: its index.html has no "
            '<meta name="qa-site-edition">, which every page qa-site builds carries',
        ),
        (
            {"index.html": b'<meta name="qa-site-edition" content="public">'},
            "is not a site built by qa-site: its index.html names the edition 'public', "
            "which is neither internal nor partners",
        ),
    ],
    ids=["no-index", "no-mark", "unknown-edition"],
)
@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_what_is_not_a_built_site_is_refused(
    tmp_path: Path, www: Path, files: dict[str, bytes], message: str, packed: bool
) -> None:
    source = tmp_path / "built"
    source.mkdir()
    for name, content in files.items():
        (source / name).write_bytes(content)
    if packed:
        source = zipped(source, tmp_path / "built.zip")
    result = deploy(source, www)
    assert (result.returncode, result.stderr) == (1, f"qa-site deploy: {source} {message}\n")
    assert_nothing_written(www)


def test_a_file_that_is_no_archive_is_a_usage_error(tmp_path: Path, www: Path) -> None:
    notes = tmp_path / "site.txt"
    notes.write_text("index.html", encoding="utf-8")
    result = deploy(notes, www)
    assert result.returncode == 2
    assert result.stderr.endswith(
        f"Error: {notes} is neither a folder nor an archive (.zip, .tar.gz, .tgz or .tar) of "
        "a built site\n"
    )


# Targets a deploy must never replace.


def usage_error(result: CliResult) -> str:
    assert result.returncode == 2, result.stderr
    return result.stderr.rsplit("Error: ", 1)[1].rstrip("\n")


def test_a_folder_of_other_files_is_never_replaced(site: Path, www: Path) -> None:
    www.mkdir()
    (www / "default.htm").write_text("IIS welcome page", encoding="utf-8")
    assert usage_error(deploy(site, www)) == (
        f"{www} is not empty and holds no site qa-site published (no index.html with "
        '<meta name="qa-site-edition">); publishing replaces its folder whole, so choose '
        "another folder, or empty this one first"
    )
    assert tree(www) == {"default.htm": hashlib.sha256(b"IIS welcome page").hexdigest()}
    assert sorted(p.name for p in www.parent.iterdir()) == ["qa-site"]


def test_a_target_that_is_a_file_or_has_no_parent_is_refused(site: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "index.html"
    a_file.write_text("", encoding="utf-8")
    assert usage_error(deploy(site, a_file)) == (
        f"Invalid value for '--to': Directory '{a_file}' is a file."
    )
    missing = tmp_path / "wwwroot" / "qa-site"
    result = run_cli("deploy", str(site), "--to", str(missing), cwd=tmp_path)
    assert usage_error(result) == f"{missing.parent} does not exist; create it, or check the path"
    assert not missing.parent.exists()


def test_a_target_inside_the_site_or_holding_it_is_refused(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "site"
    shutil.copytree(site, source)
    inside = source / "mirror"
    assert usage_error(deploy(source, inside)) == (
        f"the folder to publish to, {inside}, is inside the site {source}"
    )
    assert usage_error(deploy(source, source)) == (
        f"the folder to publish to, {source}, is inside the site {source}"
    )
    archive = zipped(site, source / "site.zip")
    assert usage_error(deploy(archive, source)) == (
        f"the site {archive} is inside {source}, which is replaced whole; move it out first"
    )
    assert tree(source) == {**tree(site), "site.zip": tree(source)["site.zip"]}


def test_a_target_inside_the_content_is_refused(site: Path, make_repo: RepoFactory) -> None:
    repo = make_repo()
    result = run_cli("deploy", str(site), "--to", "reviews/site", cwd=repo)
    assert usage_error(result) == (
        "--to reviews/site is inside reviews/, which holds the content; write it somewhere "
        "else (the site and exports belong outside reviews/ and standards/)"
    )
    assert not (repo / "reviews" / "site").exists()


def test_the_other_edition_replaces_a_site_only_when_asked(
    site: Path, www: Path, tmp_path: Path
) -> None:
    assert deploy(site, www).returncode == 0
    partners = tmp_path / "partners"
    shutil.copytree(site, partners)
    index = partners / "index.html"
    index.write_bytes(index.read_bytes().replace(MARK, MARK.replace(b"internal", b"partners")))

    assert usage_error(deploy(partners, www)) == (
        f"{www} serves the internal edition, and this site is the partner edition; if that "
        "is meant, say so with --change-edition"
    )
    assert tree(www) == tree(site)

    result = deploy(partners, www, "--change-edition")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(summary(www, len(tree(site)), "partner"))
    assert tree(www) == tree(partners)


def test_an_archive_larger_than_the_disk_has_room_for_is_refused_before_writing(
    site: Path, www: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small archive that unpacks to far more (a mistake, or a zip bomb) is measured
    by what it declares, which is all reading it can give, before a byte is written."""
    archive = zipped(site, tmp_path / "bomb.zip")
    before = archive.stat().st_size
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("padding.bin", bytes(40_000_000))
    assert archive.stat().st_size < before + 100_000  # 40 MB in under 100 KB
    free = 120_000_000  # the site, the 40 MB file and 100 MB spare do not fit
    real = shutil.disk_usage

    def disk_usage(path: str | Path) -> object:
        usage = real(path)
        return type(usage)(usage.total, usage.total - free, free)

    monkeypatch.setattr(deploy_module.shutil, "disk_usage", disk_usage)
    result = deploy(archive, www)

    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) + 40_000_000
    assert result.returncode == 2
    assert result.stderr.endswith(
        f"the site needs {size / 1_000_000:,.1f} MB and the disk of {www.parent} has "
        "120.0 MB free (keeping 100.0 MB spare); nothing was written\n"
    )
    assert list(www.parent.iterdir()) == []
