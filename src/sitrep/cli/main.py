"""The `sitrep` command: a click group with one error boundary; one module per verb."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from sitrep import __version__
from sitrep.errors import SitrepError

# Verb modules, each exposing a click command or group named in the tuple. Explicit, no plugins.
COMMANDS = (
    ("sitrep.cli.ingest", "ingest"),
    ("sitrep.cli.ingest", "resume"),
    ("sitrep.cli.export", "export"),
    ("sitrep.cli.stats", "stats"),
    ("sitrep.cli.facts", "facts"),
    ("sitrep.cli.events", "events"),
    ("sitrep.cli.serve", "serve"),
    ("sitrep.cli.geo", "geo"),
    ("sitrep.cli.db", "db"),
    ("sitrep.cli.watch", "watch"),
    ("sitrep.cli.watch", "feeds"),
    ("sitrep.cli.watch", "rules"),
    ("sitrep.cli.watch", "alerts"),
    ("sitrep.cli.brief", "brief"),
)


class SitrepGroup(click.Group):
    """Turns SitrepError into one message on stderr and exit status 1 (`--debug` shows the traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SitrepError as error:
            if ctx.find_root().params.get("debug"):
                raise
            message = f"Error: {error}"
            if error.hint:
                message += f"\n{error.hint}"
            click.echo(message, err=True)
            ctx.exit(1)


@click.group(cls=SitrepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(debug: bool, verbose: bool) -> None:
    """Turn news articles into a merged, source-attributed record of security events.

    \b
    Example:
      sitrep ingest articles.jsonl --db sqlite:///sitrep.db
      sitrep export --format jsonl -o events.jsonl
    """
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    for module_name, attr in COMMANDS:
        module = importlib.import_module(module_name)
        cli.add_command(getattr(module, attr))


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="sitrep")
