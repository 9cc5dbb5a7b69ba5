"""`sitrep watch`, `sitrep feeds`, `sitrep rules test`, `sitrep alerts`: live monitoring."""

from __future__ import annotations

import datetime as dt
import json
import signal
from types import FrameType

import click

from sitrep.cli.options import db_option, open_from_cli
from sitrep.errors import ConfigError


def _parse_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"--now {value!r} is not an ISO time (e.g. 2025-12-01T08:00:00Z).") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@click.command()
@db_option
@click.option(
    "--once", is_flag=True, help="Run one round (poll what is due, ingest, alert, deliver), then exit."
)
@click.option("--allow-private", is_flag=True, help="Allow feeds and pages on private or loopback addresses.")
@click.option(
    "--now", "now_text", metavar="TIME", default=None,
    help="With --once: run the round as if it were TIME (ISO 8601; replays and tests).",
)  # fmt: skip
@click.option(
    "--no-extract", is_flag=True, help="Store articles only; `sitrep resume` extracts them later (no alerts)."
)
@click.option("-q", "--quiet", is_flag=True, help="No line per round.")
def watch(
    db_url: str | None, once: bool, allow_private: bool, now_text: str | None, no_extract: bool, quiet: bool
) -> None:
    """Poll the [[feeds]] of sitrep.toml, ingest new and revised articles, fire [[rules]], deliver.

    Each feed is polled at its interval with a conditional GET (an unchanged feed costs one 304);
    requests to one host are spaced by watch.host_delay_s; errors back off with jitter; Retry-After
    is honoured; a 301/308 moves the stored URL; a 410 retires the feed. New articles are fetched
    again after watch.refetch_after (1 h, 6 h, 24 h), so revised tolls become revisions. State
    lives in the store: a restart resumes. SIGTERM finishes the current article, then exits.
    See docs/watch.md.

    \b
    Example:
      sitrep watch --db sqlite:///sitrep.db          # until SIGTERM or Ctrl-C
      sitrep watch --once                             # one round, e.g. from cron
    """
    from sitrep.watch.clock import Clock, ManualClock, SystemClock
    from sitrep.watch.watcher import RoundReport, Watcher

    now = _parse_time(now_text)
    if now is not None and not once:
        raise click.UsageError("--now needs --once (a clock that stands still cannot wait between rounds).")
    settings, store = open_from_cli(db_url)
    if allow_private:
        settings.ingest.allow_private = True
    if not settings.feeds:
        store.close()
        raise ConfigError("no [[feeds]] in sitrep.toml: nothing to watch.", hint="See docs/watch.md.")
    system = SystemClock()
    clock: Clock = ManualClock(now) if now is not None else system
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        system.wake.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    watcher = Watcher(store, settings, clock, should_stop=lambda: bool(stopping), extract=not no_extract)

    def report(round_report: RoundReport) -> None:
        if not quiet:
            click.echo(f"{clock.now().isoformat(timespec='seconds')} {round_report.line()}", err=True)

    try:
        if once:
            report(watcher.run_round())
        else:
            watcher.run(on_round=report)
    finally:
        watcher.close()
        store.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopping and not quiet:
        click.echo("stopped", err=True)


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
def feeds(db_url: str | None, as_json: bool) -> None:
    """List each watched feed's health: status, last answer, failures in a row, next poll, counts.

    \b
    Example:
      sitrep feeds --db sqlite:///sitrep.db
    """
    settings, store = open_from_cli(db_url)
    configured = {f.feed_id() for f in settings.feeds}
    try:
        rows = store.list_feeds()
    finally:
        store.close()
    for feed in rows:
        record = {
            "feed": feed.name,
            "url": feed.url,
            "status": feed.status,
            "last_status": feed.last_status,
            "failures": feed.failures,
            "last_error": feed.last_error,
            "last_polled_at": feed.last_polled_at.isoformat() if feed.last_polled_at else None,
            "next_due_at": feed.next_due_at.isoformat(),
            "polls": feed.polls,
            "not_modified": feed.not_modified,
            "articles": feed.articles,
            "configured": feed.feed_id in configured,
        }
        if as_json:
            click.echo(json.dumps(record))
            continue
        health = feed.status if feed.status != "active" else ("failing" if feed.failures else "ok")
        if feed.feed_id not in configured:
            health += " (not in sitrep.toml: not polled)"
        error = f"  last error: {feed.last_error}" if feed.last_error else ""
        click.echo(
            f"{feed.name}  {health}  HTTP {feed.last_status or '-'}  {feed.polls} polls, {feed.not_modified} "
            f"not modified, {feed.articles} articles, {feed.failures} failures in a row  "
            f"next {record['next_due_at']}  {feed.url}{error}"
        )
    if not rows:
        click.echo("no feeds polled yet (add [[feeds]] to sitrep.toml and run `sitrep watch`)", err=True)


@click.group()
def rules() -> None:
    """Watch rules ([[rules]] in sitrep.toml).

    \b
    Example:
      sitrep rules test deadly-border --since 2025-12-01
    """


@rules.command("test")
@click.argument("rule_name", metavar="RULE")
@db_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only events from this date.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Events listed.")
def rules_test(rule_name: str, db_url: str | None, since: dt.datetime | None, limit: int) -> None:
    """Show what RULE would have matched in the store: each event, its toll, tier and sources.

    \b
    Example:
      sitrep rules test deadly-border --since 2025-12-01
    """
    from sitrep.watch.alerts import rule_matches
    from sitrep.watch.rules import killed_of, tier_of

    settings, store = open_from_cli(db_url)
    try:
        found = {r.name: r for r in settings.rules}
        if rule_name not in found:
            known = ", ".join(sorted(found)) or "none"
            raise ConfigError(f"no rule {rule_name!r} in sitrep.toml (rules: {known}).")
        rule = found[rule_name]
        events = rule_matches(store, rule, since.date() if since else None, limit)
        for event in events:
            killed = killed_of(event)
            place = ", ".join(p for p in (event.location, event.admin1, event.country) if p) or "?"
            fields = ", ".join(d.field for d in event.discrepancies)
            disagree = f"  sources disagree on {fields}" if fields else ""
            click.echo(
                f"{event.date or '????-??-??'}  {event.event_id}  {event.event_type}  {place}  "
                f"killed {killed if killed is not None else '-'}  [{tier_of(rule, killed)}]  "
                f"{len({m.article_id for m in event.mentions})} sources{disagree}"
            )
        click.echo(f"{len(events)} events match rule {rule_name!r}", err=True)
    finally:
        store.close()


@click.command()
@db_option
@click.option("--rule", default=None, help="Only this rule's alerts.")
@click.option("--failed", is_flag=True, help="List failed deliveries (with their last error) instead.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def alerts(db_url: str | None, rule: str | None, failed: bool, limit: int) -> None:
    """List alerts, newest first (why each fired, its tier and event), or failed deliveries.

    \b
    Example:
      sitrep alerts --rule deadly-border
      sitrep alerts --failed
    """
    _settings, store = open_from_cli(db_url)
    try:
        if failed:
            for delivery in store.list_deliveries(state="failed", limit=limit):
                click.echo(
                    f"{delivery.delivery_id}  {delivery.attempts} attempts  last error: {delivery.last_error}"
                )
            counts = store.delivery_counts()
            click.echo(
                ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no deliveries", err=True
            )
            return
        for alert in store.list_alerts(rule=rule, limit=limit):
            if alert.version == 0:
                continue
            held = "  (held: cooldown)" if alert.held else ""
            click.echo(
                f"{alert.updated_at.isoformat(timespec='seconds')}  {alert.rule}  {alert.tier}  "
                f"{alert.event_id or alert.alert_key}  v{alert.version}  {alert.why}{held}"
            )
    finally:
        store.close()
