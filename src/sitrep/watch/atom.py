"""Atom feeds of alerts: one per rule and one for all (`/api/alerts.atom`, `/api/alerts/RULE.atom`).

Each alert is one entry (id `urn:sitrep:alert:ID`), updated in place as its alert is: a reader
shows it once, with its latest figures. Links go to the event in the API and to every source.
Alerts held by a rule's cooldown and silent baselines (version 0) are not in the feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from sitrep.store.watch import AlertRow

ATOM = "http://www.w3.org/2005/Atom"


def alerts_atom(
    alerts: Sequence[AlertRow], base_url: str, title: str, self_path: str, now: dt.datetime
) -> bytes:
    """The Atom document of `alerts` (newest first), as UTF-8 bytes."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    shown = [a for a in alerts if a.version > 0 and not a.held]
    _text(feed, "id", f"urn:sitrep:alerts:{self_path}")
    _text(feed, "title", title)
    updated = max((a.updated_at for a in shown), default=now)
    _text(feed, "updated", updated.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base_url}{self_path}")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "sitrep watch")
    for alert in shown:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:sitrep:alert:{alert.alert_id}")
        _text(entry, "title", f"[{alert.rule}] {alert.tier}: {alert.why}")
        _text(entry, "updated", alert.updated_at.isoformat())
        _text(entry, "published", alert.created_at.isoformat())
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert.rule)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert.trigger)
        if alert.event_id:
            ET.SubElement(
                entry, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}/api/events/{alert.event_id}"
            )
        lines = [alert.why]
        for source in alert.detail.get("sources", []):
            if source.get("url"):
                ET.SubElement(
                    entry, f"{{{ATOM}}}link", rel="related", href=source["url"],
                    title=source.get("outlet") or source["url"],
                )  # fmt: skip
            toll = f" ({source['killed']} killed)" if source.get("killed") is not None else ""
            lines.append(f"{source.get('outlet') or 'unknown outlet'}{toll}: {source.get('url') or ''}")
        _text(entry, "summary", "\n".join(lines))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    child.text = text
    return child
