"""Watch rules, alerts and their delivery, on a real store with events written through it.

Events are built here and stored with `replace_events` (no model needed); delivery goes to a real
webhook receiver that checks the HMAC signature and to a real SMTP server (aiosmtpd), on loopback.
"""

from __future__ import annotations

import datetime as dt
import random
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from sitrep.config import RuleConfig, Settings
from sitrep.model import Article, Count, Discrepancy, Event, Mention
from sitrep.store import Store
from sitrep.watch.alerts import Evaluator, rule_matches
from sitrep.watch.atom import alerts_atom
from sitrep.watch.delivery import Deliverer
from sitrep.watch.rules import matches, tier_of
from tests.watch_servers import WebhookReceiver, smtp_server

NOW = dt.datetime(2025, 12, 10, 12, 0, tzinfo=dt.UTC)
SECRET = "test-secret-for-hmac"


def put_event(
    store: Store,
    name: str,
    *,
    killed: list[int | None],
    date: dt.date = dt.date(2025, 12, 9),
    country: str = "TJ",
    event_type: str = "ASSAULT",
    extra_article: str | None = None,
    discrepancies: tuple[Discrepancy, ...] = (),
) -> Event:
    """Store an event `name` with one mention per toll in `killed` (one article each)."""
    mentions = []
    for number, toll in enumerate(killed):
        article_id = f"{name}-{number}" if extra_article is None or number == 0 else extra_article
        text = f"Guards said {toll} people were killed in a clash at a border post, report {name} {number}."
        store.add_article(
            Article(
                article_id=article_id,
                raw_text=text,
                text=text,
                url=f"https://news.example/{article_id}",
                outlet=f"Outlet {number}",
            )
        )
        mentions.append(
            Mention(
                mention_id=f"{article_id}:0:{event_type}",
                article_id=article_id,
                event_type=event_type,
                quote=text,
                start=0,
                end=len(text),
                date=date,
                country=country,
                admin1="Khatlon",
                lat=37.5,
                lon=68.5,
                actor1="Taliban",
                killed=toll,
                extractor="extract.test.v1",
                block_key=f"b-{name}",
            )
        )
    tolls = [k for k in killed if k is not None]
    event = Event(
        event_id=f"ev-{name}", event_type=event_type, mentions=tuple(mentions), date=date, country=country,
        admin1="Khatlon", lat=37.5, lon=68.5, actor1="Taliban",
        fatalities=Count(max(tolls), min(tolls), max(tolls)) if tolls else None,
        discrepancies=discrepancies, block_key=f"b-{name}", merger="resolve.test.v1",
    )  # fmt: skip
    for m in mentions:
        store.replace_mentions(m.article_id, [m])
    store.replace_events([f"b-{name}"], [event])
    return event


def settings_with(rules: list[dict[str, object]], hook_url: str = "", smtp_port: int = 0) -> Settings:
    webhooks = [{"name": "ops", "url": hook_url}] if hook_url else []
    email = (
        [{"name": "desk", "host": "127.0.0.1", "port": smtp_port, "starttls": False,
          "sender": "watch@sitrep.test", "to": ["desk@sitrep.test"]}]
        if smtp_port else []
    )  # fmt: skip
    return Settings(rules=rules, webhooks=webhooks, email=email, watch={"retry_base_s": 60})


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    monkeypatch.setenv("SITREP_WEBHOOK_SECRET", SECRET)
    server = WebhookReceiver(SECRET)
    yield server
    server.close()


def test_rule_filters() -> None:
    event = Event(
        event_id="ev-x", event_type="ASSAULT", acled_event_type="Battles", mentions=(
            Mention("a:0:ASSAULT", "a", "ASSAULT", "Gunmen fired on a border post near the river.", 0, 10),
        ), country="TJ", admin1="Khatlon", lat=37.4, lon=68.6, actor1="Taliban fighters",
        fatalities=Count(3, 2, 3),
    )  # fmt: skip
    assert matches(RuleConfig(name="r", event_types=["Battles"], countries=["TJ"]), event)
    assert not matches(RuleConfig(name="r", countries=["AF"]), event)
    assert matches(RuleConfig(name="r", bbox=[68, 37, 69, 38], words=["river"], actors=["taliban"]), event)
    assert not matches(RuleConfig(name="r", bbox=[70, 37, 71, 38]), event)
    assert not matches(RuleConfig(name="r", words=["drone"]), event)
    assert not matches(RuleConfig(name="r", min_killed=4), event)
    assert matches(RuleConfig(name="r", admin1=["khatlon"], min_killed=3), event)
    assert tier_of(RuleConfig(name="r", tiers=[1, 10]), 3) == "killed 1+"
    assert tier_of(RuleConfig(name="r", tiers=[1, 10]), 0) == "killed 0-0"
    assert tier_of(RuleConfig(name="r"), None) == "toll unknown"


def test_new_event_alerts_once_and_is_delivered_once(store: Store, receiver: WebhookReceiver) -> None:
    event = put_event(store, "a", killed=[2])
    with smtp_server() as (box, port):
        settings = settings_with(
            [{"name": "tj", "countries": ["TJ"], "triggers": ["new"]}, {"name": "af", "countries": ["AF"]}],
            receiver.url,
            port,
        )
        evaluator = Evaluator(store, settings)
        fired = evaluator.evaluate([event.event_id], NOW)
        assert [(a.rule, a.trigger, a.tier, a.version) for a in fired] == [("tj", "new", "killed 1+", 1)]
        assert "New ASSAULT event" in fired[0].why
        assert [s["url"] for s in fired[0].detail["sources"]] == ["https://news.example/a-0"]
        assert evaluator.evaluate([event.event_id], NOW + dt.timedelta(hours=1)) == []  # nothing changed
        counts = Deliverer(store, settings).deliver_due(NOW)
        assert (counts.delivered, counts.failed) == (2, 0)
        assert Deliverer(store, settings).deliver_due(NOW + dt.timedelta(days=1)).delivered == 0  # a restart
        assert len(box.messages) == 1
    assert receiver.bad_signatures == 0
    assert [r["body"]["alert_id"] for r in receiver.received] == [fired[0].alert_id]
    assert receiver.received[0]["delivery"] == f"{fired[0].alert_id}.1.webhook:ops"
    message = box.messages[0]
    assert message["Message-ID"] == f"<{fired[0].alert_id}.1.email-desk@sitrep>"
    assert "https://news.example/a-0" in message.get_payload()
    assert "[sitrep tj] killed 1+" in message["Subject"]


def test_toll_revised_updates_in_place_and_resends_only_on_a_new_tier(store: Store) -> None:
    rule = {"name": "toll", "triggers": ["new", "toll_revised"], "toll_up_by": 2, "tiers": [1, 5, 10]}
    settings = Settings(rules=[rule], webhooks=[{"name": "ops", "url": "http://127.0.0.1:9/"}])
    evaluator = Evaluator(store, settings)
    event = put_event(store, "t", killed=[2])
    (first,) = evaluator.evaluate([event.event_id], NOW)
    event = put_event(store, "t", killed=[2, 6])  # a second source: 6 killed
    (second,) = evaluator.evaluate([event.event_id], NOW + dt.timedelta(hours=1))
    assert (second.alert_id, second.trigger, second.tier, second.version) == (
        first.alert_id,
        "toll_revised",
        "killed 5+",
        2,
    )
    assert second.why == "Toll revised 2 → 6."
    event = put_event(store, "t", killed=[2, 6, 8])
    (third,) = evaluator.evaluate([event.event_id], NOW + dt.timedelta(hours=2))
    assert (third.tier, third.version, third.why) == ("killed 5+", 2, "Toll revised 6 → 8.")  # in place
    queued = store.list_deliveries()
    assert sorted(d.delivery_id for d in queued) == [
        f"{first.alert_id}.1.webhook:ops",
        f"{first.alert_id}.2.webhook:ops",
    ]
    assert [h["trigger"] for h in third.detail["history"]] == ["new", "toll_revised", "toll_revised"]


def test_alert_follows_its_event_when_the_event_id_changes(store: Store) -> None:
    settings = Settings(rules=[{"name": "d", "triggers": ["disagreement"]}])
    evaluator = Evaluator(store, settings)
    event = put_event(store, "m", killed=[3])
    assert evaluator.evaluate([event.event_id], NOW) == []  # a silent baseline: no trigger yet
    moved = put_event(
        store, "m", killed=[3, 5],
        discrepancies=(Discrepancy("fatalities", ((3, ("m-0",)), (5, ("m-1",)))),),
    )  # fmt: skip
    store.replace_events(["b-m"], [Event(**{**moved.__dict__, "event_id": "ev-m2"})])
    (alert,) = evaluator.evaluate(["ev-m2"], NOW)
    assert (alert.trigger, alert.event_id, alert.version) == ("disagreement", "ev-m2", 1)
    assert alert.why == "Sources now disagree on fatalities."
    assert len(list(store.iter_alert_ids())) == 1


def test_cooldown_holds_a_second_alert(store: Store) -> None:
    settings = Settings(
        rules=[{"name": "c", "cooldown": "1h"}], webhooks=[{"name": "ops", "url": "http://127.0.0.1:9/"}]
    )
    evaluator = Evaluator(store, settings)
    one = put_event(store, "c1", killed=[1])
    two = put_event(store, "c2", killed=[1])
    evaluator.evaluate([one.event_id], NOW)
    (held,) = evaluator.evaluate([two.event_id], NOW + dt.timedelta(minutes=10))
    assert held.held
    assert len(store.list_deliveries()) == 1
    # touched again after the cooldown: sent then
    (sent,) = evaluator.evaluate([two.event_id], NOW + dt.timedelta(hours=2))
    assert not sent.held
    assert len(store.list_deliveries()) == 2


def test_surge_against_the_baseline_window(store: Store) -> None:
    settings = Settings(
        rules=[{"name": "s", "countries": ["TJ"], "triggers": ["surge"], "surge_min": 3, "surge_factor": 3}]
    )
    put_event(store, "old", killed=[1], date=dt.date(2025, 10, 1))
    recent = [put_event(store, f"r{n}", killed=[1], date=dt.date(2025, 12, 5 + n)) for n in range(4)]
    (alert,) = Evaluator(store, settings).evaluate([recent[-1].event_id], NOW)
    assert alert.trigger == "surge"
    assert (alert.detail["recent"], alert.detail["base"]) == (4, 1)
    assert alert.why.startswith(
        "Surge: 4 events in the 7 days to 2025-12-08, against 1 in the 90 days before"
    )
    assert alert.tier == "x32+"  # (4/7) / (1/90) = 51x
    put_event(store, "af", killed=[1], country="AF")
    assert Evaluator(store, settings).evaluate(["ev-af"], NOW) == []  # not the rule's country


def test_rules_test_lists_what_a_rule_matches(store: Store) -> None:
    put_event(store, "x1", killed=[5])
    put_event(store, "x2", killed=[None])
    put_event(store, "x3", killed=[7], country="AF")
    found = rule_matches(store, RuleConfig(name="r", countries=["TJ"], min_killed=1), None, 10)
    assert [e.event_id for e in found] == ["ev-x1"]


def test_failing_webhook_is_retried_with_backoff_then_kept_as_failed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_WEBHOOK_SECRET", SECRET)
    flaky = WebhookReceiver(SECRET, fail_first=2)
    try:
        settings = Settings(
            rules=[{"name": "n"}],
            webhooks=[
                {"name": "ops", "url": flaky.url},
                {"name": "nosecret", "url": flaky.url, "secret_env": "NOPE"},
            ],
            watch={"retry_base_s": 60, "delivery_attempts": 3},
        )
        event = put_event(store, "f", killed=[1])
        Evaluator(store, settings).evaluate([event.event_id], NOW)
        deliverer = Deliverer(store, settings, rng=random.Random(3))
        first = deliverer.deliver_due(NOW)
        assert (first.delivered, first.retried) == (0, 2)
        assert deliverer.deliver_due(NOW + dt.timedelta(seconds=30)).delivered == 0  # not due yet
        second = deliverer.deliver_due(NOW + dt.timedelta(seconds=80))
        assert (second.delivered, second.retried) == (0, 2)
        third = deliverer.deliver_due(NOW + dt.timedelta(seconds=300))
        assert (third.delivered, third.failed) == (1, 1)
        (failed,) = store.list_deliveries(state="failed")
        assert failed.channel == "webhook:nosecret"
        assert failed.attempts == 3
        assert "NOPE" in (failed.last_error or "")
        assert len(flaky.received) == 1
    finally:
        flaky.close()


def test_atom_has_one_entry_per_alert_with_links(store: Store) -> None:
    settings = Settings(rules=[{"name": "n", "triggers": ["new", "toll_revised"]}])
    evaluator = Evaluator(store, settings)
    event = put_event(store, "atom", killed=[1])
    evaluator.evaluate([event.event_id], NOW)
    event = put_event(store, "atom", killed=[1, 4])
    evaluator.evaluate([event.event_id], NOW + dt.timedelta(hours=1))
    document = alerts_atom(
        store.list_alerts(), "http://127.0.0.1:8000", "sitrep alerts", "/api/alerts.atom", NOW
    )
    parsed = feedparser.parse(document)
    assert not parsed.bozo
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    links = {link["href"] for link in entry.links}
    assert "http://127.0.0.1:8000/api/events/ev-atom" in links
    assert {"https://news.example/atom-0", "https://news.example/atom-1"} <= links
    assert "Toll revised 1 → 4." in entry.title


def test_email_over_starttls_with_login_from_the_environment(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate ({exc})")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    monkeypatch.setenv("TEST_SMTP_USER", "desk")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    event = put_event(store, "tls", killed=[1])
    with smtp_server(tls=server_tls, login=("desk", "s3cret")) as (box, port):
        target = {"name": "desk", "host": "127.0.0.1", "port": port, "sender": "watch@sitrep.test",
                  "to": ["desk@sitrep.test"], "username_env": "TEST_SMTP_USER",
                  "password_env": "TEST_SMTP_PASSWORD", "ca_file": str(cert)}  # fmt: skip
        settings = Settings(rules=[{"name": "n"}], email=[target])
        Evaluator(store, settings).evaluate([event.event_id], NOW)
        assert Deliverer(store, settings).deliver_due(NOW).delivered == 1
        untrusted = Settings(rules=[{"name": "n"}], email=[{**target, "name": "other", "ca_file": None}])
        event = put_event(store, "tls2", killed=[1])
        Evaluator(store, untrusted).evaluate([event.event_id], NOW)
        counts = Deliverer(store, untrusted).deliver_due(NOW)
        assert (counts.delivered, counts.retried) == (0, 1)  # the self-signed certificate is refused
        (pending,) = store.list_deliveries(state="pending")
        assert "CERTIFICATE_VERIFY_FAILED" in (pending.last_error or "")
    assert len(box.messages) == 1


def test_surge_of_killed_through_a_filter_the_indexes_cannot_take(store: Store) -> None:
    rule = {"name": "k", "words": ["clash"], "triggers": ["surge"], "surge_measure": "killed", "surge_min": 5}
    settings = Settings(rules=[rule])
    put_event(store, "o1", killed=[2], date=dt.date(2025, 11, 1))
    recent = [put_event(store, f"n{n}", killed=[3], date=dt.date(2025, 12, 7 + n)) for n in range(2)]
    (alert,) = Evaluator(store, settings).evaluate([recent[-1].event_id], NOW)
    assert (alert.detail["recent"], alert.detail["base"], alert.detail["measure"]) == (6, 2, "killed")
    assert alert.why.startswith(
        "Surge: 6 killed in the 7 days to 2025-12-08, against 2 in the 90 days before"
    )
    quiet = Settings(rules=[{**rule, "words": ["drone"]}])
    assert Evaluator(store, quiet).evaluate([recent[-1].event_id], NOW) == []
