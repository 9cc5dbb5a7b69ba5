"""Deliver queued alerts: webhooks (POST JSON, HMAC-SHA256 signed) and email (SMTP, STARTTLS).

The outbox (`deliveries`) holds one row per alert version and channel, queued in the same
transaction as the alert, so an alert is never queued twice and a restart sends what is pending.
A delivery is marked delivered in its own transaction right after the server accepted it; a kill
between the two is the one window in which a send can repeat, and each send carries its delivery
id (header `X-Sitrep-Delivery`, email `Message-ID`) so a receiver can drop a repeat. Failures are
retried with exponential backoff and jitter (`watch.retry_base_s`, doubled per attempt) up to
`watch.delivery_attempts`, then marked failed; `sitrep alerts --failed` lists them with the error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import random
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx

from sitrep.config import EmailConfig, Settings, WebhookConfig
from sitrep.store import Store
from sitrep.store.watch import AlertRow, Delivery

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sitrep-Signature"
DELIVERY_HEADER = "X-Sitrep-Delivery"


class DeliveryFailed(Exception):
    """One attempt failed; the message says why (kept on the delivery row)."""


def signature(secret: str, body: bytes) -> str:
    """The X-Sitrep-Signature value of `body`: 'sha256=' + hex HMAC-SHA256 keyed by `secret`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def alert_payload(alert: AlertRow, base_url: str) -> dict[str, Any]:
    """The JSON an alert is delivered as (webhook body; email's attachment-free text is built from it)."""
    event_id = alert.event_id
    return {
        "alert_id": alert.alert_id,
        "version": alert.version,
        "rule": alert.rule,
        "trigger": alert.trigger,
        "tier": alert.tier,
        "why": alert.why,
        "event_id": event_id,
        "event_url": f"{base_url}/api/events/{event_id}" if event_id else None,
        "alerted_at": alert.alerted_at.isoformat(),
        "detail": alert.detail,
    }


@dataclass
class DeliveryCounts:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


Sender = Callable[[Delivery, AlertRow], None]


class Deliverer:
    """Sends the outbox's due deliveries over the channels `settings` names."""

    def __init__(self, store: Store, settings: Settings, rng: random.Random | None = None) -> None:
        self.store = store
        self.settings = settings
        self.rng = rng or random.Random()
        self.webhooks = {w.name: w for w in settings.webhooks}
        self.emails = {e.name: e for e in settings.email}

    def deliver_due(
        self, now: dt.datetime, should_stop: Callable[[], bool] = lambda: False
    ) -> DeliveryCounts:
        """Attempt every delivery due at `now`; return how many went, will be retried, failed."""
        counts = DeliveryCounts()
        cache: dict[str, AlertRow | None] = {}
        for delivery in self.store.due_deliveries(now, limit=1000):
            if should_stop():
                break
            if delivery.alert_id not in cache:
                cache[delivery.alert_id] = self.store.get_alert(delivery.alert_id)
            alert = cache[delivery.alert_id]
            try:
                if alert is None:
                    raise DeliveryFailed("the alert is no longer stored")
                self.send(delivery, alert)
            except DeliveryFailed as failure:
                attempts = delivery.attempts + 1
                retry_at = None
                if attempts < self.settings.watch.delivery_attempts:
                    wait = (
                        self.settings.watch.retry_base_s * 2 ** (attempts - 1) * self.rng.uniform(0.75, 1.25)
                    )
                    retry_at = now + dt.timedelta(seconds=wait)
                    counts.retried += 1
                else:
                    counts.failed += 1
                log.warning("delivery %s failed (attempt %d): %s", delivery.delivery_id, attempts, failure)
                self.store.record_attempt(
                    delivery.delivery_id, ok=False, now=now, error=str(failure), retry_at=retry_at
                )
            else:
                self.store.record_attempt(delivery.delivery_id, ok=True, now=now)
                counts.delivered += 1
        return counts

    def send(self, delivery: Delivery, alert: AlertRow) -> None:
        """Send `alert` on the delivery's channel; raise DeliveryFailed saying why it did not go."""
        kind, _, name = delivery.channel.partition(":")
        if kind == "webhook" and name in self.webhooks:
            post_webhook(self.webhooks[name], delivery, alert, self.settings.watch.base_url)
        elif kind == "email" and name in self.emails:
            send_email(self.emails[name], delivery, alert, self.settings.watch.base_url)
        else:
            raise DeliveryFailed(f"channel {delivery.channel!r} is not configured (any more)")


def post_webhook(
    target: WebhookConfig,
    delivery: Delivery,
    alert: AlertRow,
    base_url: str,
    env: Mapping[str, str] | None = None,
) -> None:
    """POST the alert as JSON to `target`, signed; raise DeliveryFailed unless it answers 2xx."""
    secret = (env if env is not None else os.environ).get(target.secret_env)
    if not secret:
        raise DeliveryFailed(f"environment variable {target.secret_env} (the webhook's secret) is not set")
    body = json.dumps(alert_payload(alert, base_url), sort_keys=True, default=str).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, body),
        DELIVERY_HEADER: delivery.delivery_id,
        "User-Agent": "sitrep-watch",
    }
    try:
        with httpx.Client(timeout=target.timeout_s, trust_env=False, follow_redirects=False) as client:
            response = client.post(target.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"POST {target.url}: {type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"POST {target.url}: HTTP {response.status_code}")


def email_message(target: EmailConfig, delivery: Delivery, alert: AlertRow, base_url: str) -> EmailMessage:
    """The email of one alert: subject with rule and tier, body with why, the event and each source."""
    payload = alert_payload(alert, base_url)
    message = EmailMessage()
    message["From"] = target.sender
    message["To"] = ", ".join(target.to)
    message["Subject"] = f"[sitrep {alert.rule}] {alert.tier}: {alert.why}"[:200]
    message["Message-ID"] = f"<{delivery.delivery_id.replace(':', '-')}@sitrep>"
    lines = [alert.why, ""]
    if payload["event_url"]:
        lines.append(f"Event: {payload['event_url']}")
    for source in alert.detail.get("sources", []):
        toll = f", {source['killed']} killed" if source.get("killed") is not None else ""
        lines.append(
            f"- {source.get('outlet') or 'unknown outlet'}{toll}: {source.get('url') or source['article_id']}"
        )
    lines += ["", f"Alert {alert.alert_id} version {alert.version}, rule {alert.rule}."]
    message.set_content("\n".join(lines))
    return message


def send_email(
    target: EmailConfig,
    delivery: Delivery,
    alert: AlertRow,
    base_url: str,
    env: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Send the alert's email through `target`'s SMTP server; raise DeliveryFailed if it refuses."""
    variables = env if env is not None else os.environ
    user = variables.get(target.username_env) if target.username_env else None
    password = variables.get(target.password_env) if target.password_env else None
    if target.username_env and not user:
        raise DeliveryFailed(f"environment variable {target.username_env} (the SMTP user) is not set")
    message = email_message(target, delivery, alert, base_url)
    if ssl_context is None and target.starttls:
        ssl_context = ssl.create_default_context(cafile=target.ca_file)  # host names checked
    try:
        with smtplib.SMTP(target.host, target.port, timeout=target.timeout_s) as smtp:
            smtp.ehlo()
            if target.starttls:
                smtp.starttls(context=ssl_context)
                smtp.ehlo()
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP {target.host}:{target.port}: {type(exc).__name__}: {exc}") from exc
