"""`sitrep serve`: the read-only JSON API and the offline dashboard over one store."""

from __future__ import annotations

import ipaddress
import logging

import click

from sitrep.cli.options import db_option, open_from_cli

logger = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses, the only hosts reachable from this machine alone."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@db_option
@click.option(
    "--host", default=None, metavar="ADDR", help="Address to bind (default 127.0.0.1: this machine only)."
)
@click.option("--port", default=None, type=click.IntRange(0, 65535), help="Port to listen on (default 8000).")
def serve(db_url: str | None, host: str | None, port: int | None) -> None:
    """Serve the dashboard at / and the JSON API under /api (read-only; OpenAPI at /docs).

    \b
    Example:
      sitrep serve --db sqlite:///sitrep.db --port 8000
    """
    import uvicorn

    from sitrep.web.app import create_app, freeze_startup_heap

    settings, store = open_from_cli(db_url)
    bind_host = host or settings.web.host
    bind_port = settings.web.port if port is None else port
    if not is_loopback(bind_host):
        click.echo(
            f"Warning: listening on {bind_host}: other machines can read this store (under the Host "
            "names in web.allowed_hosts; see docs/api.md).",
            err=True,
        )
    # The bind address is a name clients may use (see web.allowed_hosts).
    settings = settings.model_copy(update={"web": settings.web.model_copy(update={"host": bind_host})})
    app = create_app(settings, store)
    click.echo(f"Dashboard: http://{bind_host}:{bind_port}/  API: /api/events  OpenAPI: /docs", err=True)
    freeze_startup_heap()
    try:
        uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning")
    finally:
        store.close()
