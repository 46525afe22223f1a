"""``qa-site edit``: the editor's form, served on this computer for the reviewer's browser."""

from __future__ import annotations

import datetime as dt
import webbrowser
from pathlib import Path

import click

from generator.cli.failures import ToolCommand
from generator.cli.options import (
    as_of_option,
    deny_list_option,
    relative_targets,
    resolve_root,
    root_option,
    run_date,
)
from generator.cli.terminal import sigterm_as_interrupt
from generator.core.errors import InvalidValue, UsageError
from generator.edit.refusals import EditRefused
from generator.edit.safe_files import editable_path, works_here
from generator.edit.server import EditServer, new_token, parse_address
from generator.privacy.deny_list import named_deny_list

DEFAULT_ADDRESS = "127.0.0.1:8765"


@click.command(cls=ToolCommand)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "-a",
    "--address",
    metavar="IP:PORT",
    default=DEFAULT_ADDRESS,
    show_default=True,
    help="Where the form listens: an address of this computer only (127.0.0.1 or [::1]). "
    "Port 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the form in your web browser.")
@deny_list_option
@as_of_option
@root_option
@click.pass_context
def edit(
    ctx: click.Context,
    path: Path | None,
    address: str,
    open_browser: bool,
    deny_list: Path | None,
    as_of: dt.date | None,
    root: Path | None,
) -> None:
    """Write reviews and governance minutes in a form in your web browser.

    Starts a small web server that only this computer can reach, and prints
    its address: open it in your browser, or pass --open. The form lists the
    reviews and meetings and starts new drafts; as you type, it checks the
    file as the validate command does and shows the scores it would get.
    Save writes the same Markdown file you would write by hand. Save and
    commit also commits that one file to a new Git branch, and says how to
    push it and open a pull request. PATH, a review or a meeting's minutes,
    is the file the form opens first. Stop the editor with Ctrl+C.
    """
    from generator.edit.app import EditorApp

    if not works_here():
        raise UsageError(
            "qa-site edit needs Linux or macOS: it writes files only through folders it has "
            "checked are not links, which Windows does not allow; on Windows, run it in WSL"
        )
    listen = parse_address(address)
    found = [path] if path is not None and path.exists() else []
    repo = resolve_root(root, found)
    start = _start_file(repo, path) if path is not None else None
    deny = named_deny_list(deny_list)
    token = new_token()
    app = EditorApp(repo, token=token, as_of=run_date(repo, as_of), start=start, deny=deny)
    debug = bool(ctx.find_root().params.get("debug"))
    server = EditServer.start(app, listen, token, debug=debug)
    try:
        click.echo(f"qa-site edit: {server.url} (press Ctrl+C to stop)", err=True)
        if open_browser:
            webbrowser.open(server.url)
        with sigterm_as_interrupt():
            server.serve_forever()
    except KeyboardInterrupt:
        pass  # the way to stop it: nothing to say
    finally:
        server.close()


def _start_file(repo: Path, path: Path) -> str:
    """PATH as the repository-relative path of a review or minutes: relative to the
    current folder, else to the repository's root."""
    if not path.exists() and not path.is_absolute() and (repo / path).exists():
        path = repo / path
    (relative,) = relative_targets(repo, [path])
    if not path.is_file():
        raise InvalidValue(f"{path} is not a file: name a review or a meeting's minutes", "PATH")
    try:
        return editable_path(relative)
    except EditRefused as refused:
        raise InvalidValue(refused.message, "PATH") from None
