"""Briefings: what changed in a period, as a short analyst's note (Markdown or HTML).

`build_brief` reads only the period's events and the previous period's of the same length
(indexed date ranges), plus the alerts updated in the period; its cost follows the period, not the
store. Every line names the outlets behind it, with links. The HTML form adds a timeline chart and
a map of the period's events, both inline SVG drawn here (offline).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pycountry

from sitrep.model import Event
from sitrep.store import ArticleMeta, EventQuery, Store
from sitrep.store.watch import AlertRow

MAX_EVENTS = 10_000  # events read per period
LISTED = 12  # events listed per section


def country_name(code: str | None) -> str:
    """The country's short name for a reader (the code when unknown)."""
    if not code:
        return "unknown country"
    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or getattr(found, "name", None) or code if found else code


@dataclass(frozen=True)
class Cite:
    """One outlet's article behind a line."""

    outlet: str
    url: str | None
    published: dt.date | None
    article_id: str


@dataclass(frozen=True)
class Claim:
    """What one outlet said about a figure."""

    value: Any
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Item:
    """One event in a section, with its sources (and, for revisions and disagreements, the claims)."""

    event: Event
    cites: tuple[Cite, ...]
    field: str | None = None
    claims: tuple[Claim, ...] = ()
    note: str = ""


@dataclass
class Brief:
    """A briefing's content; `brief_markdown` and `brief_html` render it."""

    since: dt.date
    until: dt.date
    country: str | None
    events: int
    killed: int
    previous_events: int
    previous_killed: int
    by_type: list[tuple[str, int, int, int]]  # type, events, killed, events the period before
    by_country: list[tuple[str, int, int, int]]
    outlets: list[tuple[Cite, int]]  # the outlets behind the period's events, most events first
    new_events: list[Item] = field(default_factory=list)
    revised: list[Item] = field(default_factory=list)
    disagreements: list[Item] = field(default_factory=list)
    alerts: list[AlertRow] = field(default_factory=list)
    days: list[tuple[dt.date, int, int]] = field(default_factory=list)  # per day: events, killed
    base_url: str = ""


def _killed(event: Event) -> int:
    return event.fatalities.best or 0 if event.fatalities is not None else 0


def _period_events(store: Store, since: dt.date, until: dt.date, country: str | None) -> list[Event]:
    events, _ = store.query_events(
        EventQuery(since=since, until=until, country=country, limit=MAX_EVENTS, sort="date")
    )
    return events


def _cites(article_ids: Iterable[str], meta: dict[str, ArticleMeta]) -> tuple[Cite, ...]:
    found = []
    for article_id in sorted(set(article_ids)):
        info = meta.get(article_id)
        url = info.url if info else None
        outlet = (
            (info.outlet if info else None) or (urlsplit(url).hostname if url else None) or "unnamed outlet"
        )
        found.append(Cite(outlet, info.url if info else None, info.published if info else None, article_id))
    return tuple(sorted(found, key=lambda c: (c.published or dt.date.max, c.outlet)))


def build_brief(
    store: Store,
    since: dt.date,
    until: dt.date | None = None,
    country: str | None = None,
    base_url: str = "",
) -> Brief:
    """What the store says changed from `since` to `until` (default: the period's last event)."""
    if until is None:
        latest, _ = store.query_events(EventQuery(since=since, country=country, limit=1, sort="-date"))
        until = latest[0].date if latest and latest[0].date else since
    until = max(until, since)
    length = (until - since).days + 1
    before_until = since - dt.timedelta(days=1)
    before_since = since - dt.timedelta(days=length)
    events = _period_events(store, since, until, country)
    previous = _period_events(store, before_since, before_until, country)
    meta = store.article_meta({m.article_id for e in events for m in e.mentions})

    def table(key: str) -> list[tuple[str, int, int, int]]:
        now = Counter(getattr(e, key) or "?" for e in events)
        dead = Counter()  # type: Counter[str]
        for e in events:
            dead[getattr(e, key) or "?"] += _killed(e)
        then = Counter(getattr(e, key) or "?" for e in previous)
        keys = sorted(set(now) | set(then), key=lambda k: (-now[k], -then[k], k))
        return [(k, now[k], dead[k], then[k]) for k in keys]

    outlet_events: Counter[str] = Counter()
    first_cite: dict[str, Cite] = {}
    for event in events:
        for cite in _cites((m.article_id for m in event.mentions), meta):
            outlet_events[cite.outlet] += 1
            first_cite.setdefault(cite.outlet, cite)
    brief = Brief(
        since=since, until=until, country=country, events=len(events), killed=sum(_killed(e) for e in events),
        previous_events=len(previous), previous_killed=sum(_killed(e) for e in previous),
        by_type=table("event_type"), by_country=table("country"),
        outlets=[(first_cite[o], n) for o, n in outlet_events.most_common()], base_url=base_url,
    )  # fmt: skip
    ranked = sorted(events, key=lambda e: (-_killed(e), -len(e.mentions), e.date or dt.date.max, e.event_id))
    for event in ranked[:LISTED]:
        brief.new_events.append(Item(event, _cites((m.article_id for m in event.mentions), meta)))
    for event in ranked:
        for discrepancy in event.discrepancies:
            claims = tuple(Claim(value, _cites(ids, meta)) for value, ids in discrepancy.values)
            item = Item(
                event, _cites((m.article_id for m in event.mentions), meta), discrepancy.field, claims
            )
            if discrepancy.field == "fatalities":
                brief.revised.append(item)
            else:
                brief.disagreements.append(item)
    brief.revised = brief.revised[:LISTED]
    brief.disagreements = brief.disagreements[:LISTED]
    # alerts updated since the period began (fired on its events, often after its last day)
    start = dt.datetime.combine(since, dt.time(), dt.UTC)
    brief.alerts = [a for a in store.list_alerts(since=start, limit=200) if a.version > 0]
    per_day: dict[dt.date, list[int]] = {since + dt.timedelta(days=n): [0, 0] for n in range(length)}
    for event in events:
        if event.date in per_day:
            per_day[event.date][0] += 1
            per_day[event.date][1] += _killed(event)
    brief.days = [(day, n, k) for day, (n, k) in sorted(per_day.items())]
    return brief


# Markdown


def _md_cite(cite: Cite) -> str:
    label = cite.outlet.replace("[", "(").replace("]", ")")
    return f"[{label}]({cite.url})" if cite.url else label


def _md_cites(cites: Sequence[Cite], most: int = 4) -> str:
    named = ", ".join(_md_cite(c) for c in cites[:most])
    more = len(cites) - most
    return named + (f" and {more} more" if more > 0 else "") if cites else "no outlet named"


def _day(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "undated"


def _change(now: int, then: int) -> str:
    if then == 0:
        return "none the period before" if now else "none either the period before"
    delta = (now - then) / then * 100
    return f"{then} the period before ({delta:+.0f}%)"


def _place(event: Event) -> str:
    parts = [p for p in (event.location, event.admin1) if p]
    where = ", ".join(dict.fromkeys(parts))
    return f"{where} ({country_name(event.country)})" if where else country_name(event.country)


def _toll(event: Event) -> str:
    if event.fatalities is None or event.fatalities.best is None:
        return "no toll reported"
    low, high, best = event.fatalities.low, event.fatalities.high, event.fatalities.best
    spread = f"; reports {low}–{high}" if low is not None and high is not None and low != high else ""
    return f"{best} killed{spread}"


def _claims_text(item: Item, link: bool = True) -> str:
    parts = []
    for claim in sorted(item.claims, key=lambda c: min(x.published or dt.date.max for x in c.cites)):
        named = [
            (_md_cite(c) if link else c.outlet) + (f" ({_day(c.published)})" if c.published else "")
            for c in claim.cites[:3]
        ]
        who = ", ".join(named)
        parts.append(f"{claim.value} per {who}")
    return "; ".join(parts)


def brief_markdown(brief: Brief) -> str:
    """The briefing as Markdown: a headline paragraph, figures by type and country, then sections."""
    scope = f" in {country_name(brief.country)}" if brief.country else ""
    span = f"{_day(brief.since)} – {_day(brief.until)}"
    lines = [f"# Briefing{scope}, {span}", ""]
    top = brief.by_type[0] if brief.by_type else None
    lead = (
        f"Sources reported **{brief.events} events**{scope} "
        f"between {_day(brief.since)} and {_day(brief.until)} "
        f"({_change(brief.events, brief.previous_events)}), with **{brief.killed} killed** "
        f"({_change(brief.killed, brief.previous_killed)})."
    )
    if top is not None and brief.events:
        lead += f" Most were {top[0]} ({top[1]})."
    lead += f" Reported by {_md_cites([c for c, _ in brief.outlets], 5)}."
    deadliest = brief.new_events[0] if brief.new_events and _killed(brief.new_events[0].event) else None
    if deadliest is not None:
        event = deadliest.event
        lead += (
            f" The deadliest was the {event.event_type} in {_place(event)} on {_day(event.date)}: "
            f"{_toll(event)} ({_md_cites(deadliest.cites, 2)})."
        )
    notes = []
    if brief.revised:
        notes.append(f"{len(brief.revised)} {'toll is' if len(brief.revised) == 1 else 'tolls are'} disputed")
    if brief.disagreements:
        notes.append(f"sources disagree on {len(brief.disagreements)} other figures")
    if brief.alerts:
        notes.append(f"{len(brief.alerts)} {'alert' if len(brief.alerts) == 1 else 'alerts'} fired")
    if notes:
        joined = "; ".join(notes)
        lead += f" {joined[0].upper()}{joined[1:]} (below)."
    lines += [lead, ""]
    if brief.by_type:
        lines += ["## By type", "", "| type | events | killed | period before |", "|---|---:|---:|---:|"]
        lines += [f"| {k} | {n} | {d} | {p} |" for k, n, d, p in brief.by_type]
        lines.append("")
    if brief.by_country:
        lines += [
            "## By country",
            "",
            "| country | events | killed | period before |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {country_name(k if k != '?' else None)} | {n} | {d} | {p} |"
            for k, n, d, p in brief.by_country
        ]
        lines.append("")
    lines += ["## Events of the period", ""]
    if not brief.new_events:
        lines.append("No events reported in the period.")
    for item in brief.new_events:
        event = item.event
        lines.append(
            f"- {_day(event.date)}: {event.event_type} in {_place(event)}, {_toll(event)}"
            f"{_actors(event)} — {_md_cites(item.cites)}"
        )
    lines.append("")
    lines += ["## Revised and disputed tolls", ""]
    if not brief.revised and not any(a.trigger == "toll_revised" for a in brief.alerts):
        lines.append("No toll changed between reports in the period.")
    for alert in [a for a in brief.alerts if a.trigger == "toll_revised"]:
        sources = [Cite(s.get("outlet") or "unnamed outlet", s.get("url"), None, s["article_id"])
                   for s in alert.detail.get("sources", [])]  # fmt: skip
        lines.append(f"- Alert {alert.rule}: {alert.why} — {_md_cites(sources)}")
    for item in brief.revised:
        event = item.event
        lines.append(f"- {_day(event.date)}, {event.event_type} in {_place(event)}: {_claims_text(item)}")
    lines.append("")
    lines += ["## Where sources disagree", ""]
    if not brief.disagreements:
        lines.append("No new disagreements between sources in the period.")
    for item in brief.disagreements:
        event = item.event
        lines.append(
            f"- {_day(event.date)}, {event.event_type} in {_place(event)}, "
            f"on {item.field}: {_claims_text(item)}"
        )
    lines.append("")
    if brief.alerts:
        lines += ["## Alerts", ""]
        for alert in brief.alerts:
            sources = [Cite(s.get("outlet") or "unnamed outlet", s.get("url"), None, s["article_id"])
                       for s in alert.detail.get("sources", [])]  # fmt: skip
            lines.append(f"- {alert.rule} ({alert.tier}): {alert.why} — {_md_cites(sources)}")
        lines.append("")
    return "\n".join(lines)


def _actors(event: Event) -> str:
    actors = [a for a in (event.actor1, event.actor2) if a]
    return f"; {' and '.join(actors)}" if actors else ""


# HTML


def _svg_timeline(brief: Brief, width: int = 640, height: int = 160) -> str:
    days = brief.days
    if not days:
        return ""
    top = max(max(n for _, n, _ in days), 1)
    most_killed = max(max(k for _, _, k in days), 1)
    bar = (width - 40) / len(days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="Events and killed per day"><title>Events (bars) and killed (line) per day</title>'
    ]
    points = []
    for index, (day, count, killed) in enumerate(days):
        x = 30 + index * bar
        h = (height - 40) * count / top
        parts.append(
            f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
            f'fill="#4a78a8"><title>{day.isoformat()}: {count} events, {killed} killed</title></rect>'
        )
        points.append(f"{x + bar / 2:.1f},{height - 20 - (height - 40) * killed / most_killed:.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#b03030" stroke-width="1.5"/>')
    parts.append(f'<text x="30" y="{height - 4}" font-size="10">{days[0][0].isoformat()}</text>')
    parts.append(
        f'<text x="{width - 10}" y="{height - 4}" font-size="10" text-anchor="end">'
        f"{days[-1][0].isoformat()}</text>"
    )
    parts.append(f'<text x="2" y="14" font-size="10">{top} events</text>')
    parts.append(
        f'<text x="{width - 10}" y="14" font-size="10" text-anchor="end">'
        "bars: events per day · red line: killed per day</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _svg_map(brief: Brief, width: int = 640) -> str:
    """The listed events on a plain equirectangular map (scaled for the latitude), circles by toll,
    the deadliest labelled; a graticule of at most about 8 lines a side."""
    placed = [i.event for i in brief.new_events if i.event.lat is not None and i.event.lon is not None]
    if not placed:
        return ""
    lats = [e.lat or 0.0 for e in placed]
    lons = [e.lon or 0.0 for e in placed]
    pad = 1.0
    min_lat, max_lat, min_lon, max_lon = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    shrink = max(math.cos(math.radians((min_lat + max_lat) / 2)), 0.2)
    height = int(min(max(width * (max_lat - min_lat) / ((max_lon - min_lon) * shrink), 220), 520))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return ((lon - min_lon) / (max_lon - min_lon) * width, (max_lat - lat) / (max_lat - min_lat) * height)

    def step(span: float) -> int:
        return next((s for s in (1, 2, 5, 10, 20, 30) if span / s <= 8), 45)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="Map of the period\'s events"><title>Where the listed events happened</title>'
             f'<rect width="{width}" height="{height}" fill="#f4f1ea" stroke="#999"/>']  # fmt: skip
    lon_step, lat_step = step(max_lon - min_lon), step(max_lat - min_lat)
    for degree in range(math.ceil(min_lon / lon_step) * lon_step, int(max_lon) + 1, lon_step):
        x, _ = xy(min_lat, degree)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#ddd"/>')
        parts.append(f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="9" fill="#888">{degree}°E</text>')
    for degree in range(math.ceil(min_lat / lat_step) * lat_step, int(max_lat) + 1, lat_step):
        _, y = xy(degree, min_lon)
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="2" y="{y - 2:.1f}" font-size="9" fill="#888">{degree}°N</text>')
    seen_places: set[str] = set()  # each place labelled once, the deadliest events' first
    for event in sorted(placed, key=lambda e: -_killed(e)):
        x, y = xy(event.lat or 0.0, event.lon or 0.0)
        radius = 3 + min(_killed(event), 30) ** 0.5 * 2
        label = html.escape(f"{_day(event.date)}: {event.event_type} in {_place(event)}, {_toll(event)}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#b03030" fill-opacity="0.6" '
            f'stroke="#600"><title>{label}</title></circle>'
        )
        name = event.location or event.admin1 or ""
        if name and name not in seen_places and len(seen_places) < 8:
            seen_places.add(name)
            anchor = "end" if x > width * 0.75 else "start"
            dx = -radius - 3 if anchor == "end" else radius + 3
            parts.append(
                f'<text x="{x + dx:.1f}" y="{y + 3:.1f}" font-size="11" text-anchor="{anchor}" '
                f'fill="#333">{html.escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _html_inline(markdown_line: str) -> str:
    """One Markdown line's links and bold as HTML (only the forms brief_markdown writes)."""
    import re

    text = html.escape(markdown_line, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)\)",
        lambda m: f'<a href="{html.escape(m.group(2), quote=True)}">{m.group(1)}</a>',
        text,
    )


def brief_html(brief: Brief) -> str:
    """The briefing as one self-contained HTML page: the Markdown's content, a timeline and a map."""
    body: list[str] = []
    in_list = in_table = False
    for line in brief_markdown(brief).splitlines():
        if line.startswith("- ") != in_list:
            body.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        if line.startswith("|") != in_table:
            body.append("<table>" if not in_table else "</table>")
            in_table = not in_table
        if line.startswith("# "):
            body.append(f"<h1>{_html_inline(line[2:])}</h1>")
            body.append(_svg_timeline(brief))
        elif line.startswith("## "):
            title = line[3:]
            body.append(f"<h2>{_html_inline(title)}</h2>")
            if title == "Events of the period":
                body.append(_svg_map(brief))
        elif line.startswith("- "):
            body.append(f"<li>{_html_inline(line[2:])}</li>")
        elif line.startswith("|"):
            if set(line) <= set("|-: "):
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            tag = "th" if not any(isinstance(x, str) and x.isdigit() for x in cells) else "td"
            body.append("<tr>" + "".join(f"<{tag}>{_html_inline(c)}</{tag}>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{_html_inline(line)}</p>")
    if in_list:
        body.append("</ul>")
    if in_table:
        body.append("</table>")
    title = html.escape(f"sitrep briefing {brief.since.isoformat()} to {brief.until.isoformat()}")
    style = (
        "body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}"
        "svg{display:block;margin:1em 0;max-width:100%}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )
