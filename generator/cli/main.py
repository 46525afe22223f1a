"""The ``qa-site`` command group and its console entry point.

Each command parses its arguments, calls the pipeline or a stage, prints and
picks an exit code; ``generator.cli.failures`` says what goes wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from generator import __version__
from generator.cli.check import privacy, score, validate
from generator.cli.deploy import deploy
from generator.cli.edit import edit
from generator.cli.export import export
from generator.cli.failures import report_crash
from generator.cli.init import init
from generator.cli.papers import papers
from generator.cli.publish import build, render, serve
from generator.cli.workflow import diff, new, schema, synth


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-site")
@click.option("--debug", is_flag=True, help="Show a Python traceback if the tool itself fails.")
def cli(debug: bool) -> None:
    """Validate, score and publish adult social work quality reviews."""


for _command in (
    validate,
    privacy,
    export,
    score,
    build,
    deploy,
    serve,
    render,
    papers,
    diff,
    new,
    edit,
    schema,
    synth,
    init,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: no traceback unless --debug asked for one."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=args, prog_name="qa-site", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as error:
        report_crash(error, args)
