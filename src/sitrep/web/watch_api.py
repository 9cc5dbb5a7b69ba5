"""Alerts and briefings over HTTP: `/api/alerts` (JSON), `/api/alerts.atom` (every rule),
`/api/alerts/{rule}.atom` (one rule), `/api/brief?since=...` (Markdown, HTML or JSON).

Read-only, like the rest of the API: alerts are fired by `sitrep watch`; this module renders them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from sitrep.store.watch import AlertRow
from sitrep.web.api import ErrorBody, StoreDep, bad_parameter

router = APIRouter(
    prefix="/api",
    tags=["watch"],
    responses={400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 500: {"model": ErrorBody}},
)

ATOM_LIMIT = 200  # entries per Atom document
_COLUMNS = ("key", "events", "killed", "previous")  # rows of the JSON brief's tables


def _base_url(request: Request) -> str:
    settings = request.app.state.settings
    return str(settings.watch.base_url).rstrip("/")


def alert_record(alert: AlertRow) -> dict[str, Any]:
    """An alert as the API shows it."""
    record = asdict(alert)
    for key in ("created_at", "updated_at", "alerted_at"):
        record[key] = record[key].isoformat()
    record["fields"] = list(alert.fields)
    return record


def _parse_since(value: str | None, name: str = "since") -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise bad_parameter(name, f"{value!r} is not an ISO date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@router.get("/alerts", summary="Alerts fired by watch rules, most recently updated first")
def list_alerts(
    store: StoreDep,
    rule: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=40, description="Updated at or after (ISO).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Alerts (of `rule`), each with why it fired, its tier, event and sources; held ones marked."""
    alerts = [
        a for a in store.list_alerts(rule=rule, since=_parse_since(since), limit=limit) if a.version > 0
    ]
    return {"ok": True, "alerts": [alert_record(a) for a in alerts], "deliveries": store.delivery_counts()}


@router.get("/changes", summary="Events new or changed since a time (the dashboard's highlight)")
def list_changes(
    store: StoreDep,
    since: Annotated[str, Query(max_length=40, description="ISO date or time (UTC unless it says).")],
) -> dict[str, Any]:
    """{event_id: "new" | "changed"}: new when every source was stored since, changed when a source
    was added or revised since."""
    when = _parse_since(since)
    if when is None:
        raise bad_parameter("since", "give a date or time")
    changes = store.event_changes(when)
    return {
        "ok": True,
        "since": when.isoformat(),
        "events": changes,
        "new": sum(1 for v in changes.values() if v == "new"),
        "changed": sum(1 for v in changes.values() if v == "changed"),
    }


@router.get("/alerts.atom", summary="Every rule's alerts as an Atom feed", response_class=Response)
def alerts_feed(request: Request, store: StoreDep) -> Response:
    """One entry per alert, updated in place."""
    from sitrep.watch.atom import alerts_atom

    body = alerts_atom(
        store.list_alerts(limit=ATOM_LIMIT), _base_url(request), "sitrep alerts", "/api/alerts.atom",
        dt.datetime.now(dt.UTC),
    )  # fmt: skip
    return Response(body, media_type="application/atom+xml")


@router.get("/alerts/{rule}.atom", summary="One rule's alerts as an Atom feed", response_class=Response)
def rule_feed(request: Request, store: StoreDep, rule: Annotated[str, Path(max_length=200)]) -> Response:
    """One entry per alert of `rule`; 404 for a rule sitrep.toml does not name."""
    from sitrep.watch.atom import alerts_atom

    if rule not in {r.name for r in request.app.state.settings.rules}:
        raise HTTPException(status_code=404, detail=f"no rule {rule!r} in the settings")
    body = alerts_atom(
        store.list_alerts(rule=rule, limit=ATOM_LIMIT), _base_url(request), f"sitrep alerts: {rule}",
        f"/api/alerts/{rule}.atom", dt.datetime.now(dt.UTC),
    )  # fmt: skip
    return Response(body, media_type="application/atom+xml")


@router.get("/brief", summary="A briefing on what changed since a date", response_class=Response)
def get_brief(
    request: Request,
    store: StoreDep,
    since: Annotated[str, Query(max_length=10, description="First day, YYYY-MM-DD.")],
    until: Annotated[str | None, Query(max_length=10)] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    format: Annotated[Literal["md", "html", "json"], Query()] = "html",
) -> Response:
    """The `sitrep brief` note: Markdown, HTML (timeline and map inline) or its figures as JSON."""
    from sitrep.watch.briefing import brief_html, brief_markdown, build_brief

    def day(value: str, name: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise bad_parameter(name, f"{value!r} is not a date (YYYY-MM-DD)") from None

    content = build_brief(
        store, day(since, "since"), day(until, "until") if until else None,
        country.upper() if country else None, _base_url(request),
    )  # fmt: skip
    if format == "md":
        return PlainTextResponse(brief_markdown(content), media_type="text/markdown; charset=utf-8")
    if format == "html":
        return HTMLResponse(brief_html(content))
    figures = {
        "since": content.since.isoformat(), "until": content.until.isoformat(), "country": content.country,
        "events": content.events, "killed": content.killed, "previous_events": content.previous_events,
        "previous_killed": content.previous_killed,
        "by_type": [dict(zip(_COLUMNS, row, strict=True)) for row in content.by_type],
        "by_country": [dict(zip(_COLUMNS, row, strict=True)) for row in content.by_country],
        "new_event_ids": [i.event.event_id for i in content.new_events],
        "revised_event_ids": [i.event.event_id for i in content.revised],
        "disagreement_event_ids": [i.event.event_id for i in content.disagreements],
    }  # fmt: skip
    return Response(json.dumps({"ok": True, "brief": figures}), media_type="application/json")
