"""Merging mentions into events: same event together, distinct events apart, order-free, incremental."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sitrep.model import Event, Mention
from sitrep.resolve import assign_blocks, blocks_to_load, merge_mentions, plan_update, update_events
from sitrep.resolve.merge import THRESHOLD, WINDOW_DAYS, _join_edges
from sitrep.resolve.similarity import actor_score, country_agreement, identifying_words, similarity, stem

D = dt.date


def mention(article_id: str, event_type: str, quote: str, start: int = 0, **fields: Any) -> Mention:
    """Build a Mention the way extraction would, id from article, offset and type.

    A given date counts as stated in the quote (`date_text` set) unless `date_text=None` is passed.
    """
    if fields.get("date") is not None:
        fields.setdefault("date_text", fields["date"].isoformat())
    return Mention(
        mention_id=f"{article_id}:{start}:{event_type}",
        article_id=article_id,
        event_type=event_type,
        quote=quote,
        start=start,
        end=start + len(quote),
        **fields,
    )


TJ_GUARDS = {"actor1": "Tajik border guards", "actor1_country": "TJ"}
KAVO = {"country": "TJ", "admin1": "Khatlon", "admin2": "Shamsiddin Shohin"}


def kavo_clash() -> list[Mention]:
    """Four outlets on one border clash: three say 24 Dec and five dead, one says 25 Dec and three dead."""
    common = {**KAVO, **TJ_GUARDS, "actor2": "militants from Afghanistan", "actor2_country": "AF"}
    return [
        mention("a-1", "ASSAULT", "Guards fought intruders near Kavo on 24 December; five men died.",
                date=D(2025, 12, 24), location="Kavo", killed=5, confidence=0.7, **common),
        mention("a-2", "ASSAULT", "Five people died on Wednesday in a firefight on the Tajik border.",
                date=D(2025, 12, 24), killed=5, confidence=0.6, **common),
        mention("a-3", "ASSAULT", "A gun battle at a guard post on 24 December left five dead.",
                date=D(2025, 12, 24), killed=5, confidence=0.6, **common),
        mention("a-4", "ASSAULT", "On 25 December guards killed three militants who crossed the river.",
                date=D(2025, 12, 25), killed=3, confidence=0.6, **common),
    ]  # fmt: skip


def worker_attacks() -> list[Mention]:
    """Two attacks on Chinese workers' camps four days apart, in Khatlon and in Gorno-Badakhshan."""
    target = {"actor1": "gunmen from Afghanistan", "actor1_country": "AF",
              "actor2": "Chinese workers", "actor2_country": "CN", "country": "TJ"}  # fmt: skip
    return [
        mention("b-1", "ASSAULT", "A drone dropped grenades on a camp of Chinese workers, killing three.",
                date=D(2025, 11, 26), admin1="Khatlon", admin2="Shamsiddin Shohin", killed=3, **target),
        mention("b-2", "ASSAULT", "Three Chinese employees died when a drone hit their compound.",
                date=D(2025, 11, 26), admin1="Khatlon", killed=3, **target),
        mention("b-3", "ASSAULT", "Gunmen shot dead two Chinese road builders in Darvoz.",
                date=D(2025, 11, 30), admin1="Gorno-Badakhshan", admin2="Darvoz", killed=2, **target),
        mention("b-4", "ASSAULT", "Two more Chinese workers were shot in Gorno-Badakhshan on Sunday.",
                date=D(2025, 11, 30), admin1="Gorno-Badakhshan", killed=2, **target),
    ]  # fmt: skip


def leader_calls() -> list[Mention]:
    """Two Putin–Rahmon phone calls, in October and in late December."""
    people = {"actor1": "Vladimir Putin", "actor1_country": "RU", "actor2": "Emomali Rahmon",
              "actor2_country": "TJ", "country": "RU", "admin1": "Moscow", "mode": "phone"}  # fmt: skip
    return [
        mention("c-1", "CONSULT", "Putin spoke by telephone with Rahmon about border security.",
                date=D(2025, 10, 5), **people),
        mention("c-2", "CONSULT", "The Kremlin said Putin and Rahmon discussed the border by phone.",
                date=D(2025, 10, 5), **people),
        mention("c-3", "CONSULT", "Putin phoned Rahmon to wish him a happy new year.",
                date=D(2025, 12, 31), **people),
        mention("c-4", "CONSULT", "In a call on 31 December Putin and Rahmon exchanged greetings.",
                date=D(2025, 12, 31), **people),
    ]  # fmt: skip


def groups(events: Sequence[Event]) -> list[list[str]]:
    """Return the article ids of each event, for readable asserts."""
    return sorted(sorted({m.article_id for m in e.mentions}) for e in events)


def test_merge_kavo_clash_is_one_event() -> None:
    events = merge_mentions(assign_blocks(kavo_clash()))
    assert groups(events) == [["a-1", "a-2", "a-3", "a-4"]]


def test_merge_kavo_clash_killed_best_low_high() -> None:
    (event,) = merge_mentions(assign_blocks(kavo_clash()))
    assert event.fatalities is not None
    assert event.fatalities.as_dict() == {"best": 5, "low": 3, "high": 5}


def test_merge_kavo_clash_date_and_date_discrepancy() -> None:
    (event,) = merge_mentions(assign_blocks(kavo_clash()))
    assert event.date == D(2025, 12, 24)
    found = {d.field: d.values for d in event.discrepancies}
    assert found["date"] == (("2025-12-24", ("a-1", "a-2", "a-3")), ("2025-12-25", ("a-4",)))
    assert found["fatalities"] == ((3, ("a-4",)), (5, ("a-1", "a-2", "a-3")))


def test_merge_attacks_in_two_provinces_stay_apart() -> None:
    events = merge_mentions(assign_blocks(worker_attacks()))
    assert groups(events) == [["b-1", "b-2"], ["b-3", "b-4"]]


def test_merge_leader_calls_months_apart_stay_apart() -> None:
    events = merge_mentions(assign_blocks(leader_calls()))
    assert groups(events) == [["c-1", "c-2"], ["c-3", "c-4"]]


def test_merge_agreement_and_clash_before_it_stay_apart() -> None:
    clash = kavo_clash()[:2]
    truce = [
        mention("a-1", "AGREE", "Both sides agreed on 26 December to hold fire along the river.", start=300,
                date=D(2025, 12, 26), **KAVO, **TJ_GUARDS),
        mention("d-1", "AGREE", "Border commanders reached a ceasefire deal after the shooting.",
                date=D(2025, 12, 26), **KAVO, **TJ_GUARDS),
    ]  # fmt: skip
    events = merge_mentions(assign_blocks(clash + truce))
    assert sorted(e.event_type for e in events) == ["AGREE", "ASSAULT"]
    assert groups(events) == [["a-1", "a-2"], ["a-1", "d-1"]]


def test_merge_same_article_distinct_acts_stay_apart() -> None:
    statement = {"date": D(2025, 12, 1), "country": "TJ", "admin1": "Dushanbe", **TJ_GUARDS,
                 "actor2": "Taliban", "actor2_country": "AF"}  # fmt: skip
    accuse = mention("e-1", "ACCUSE", "The guards blamed the Taliban for failing to police the border.",
                     **statement)  # fmt: skip
    threat = mention("e-1", "THREATEN", "The guards vowed a decisive response to any new incursion.",
                     start=120, **statement)  # fmt: skip
    assert len(merge_mentions(assign_blocks([accuse, threat]))) == 2


def test_merge_across_month_edge_joins_one_event() -> None:
    common = {**KAVO, **TJ_GUARDS, "actor2": "smugglers", "actor2_country": "AF", "killed": 2}
    edge = [
        mention("f-1", "ASSAULT", "Guards shot two smugglers late on 31 January near Kavo.",
                date=D(2026, 1, 31), location="Kavo", **common),
        mention("f-2", "ASSAULT", "Two smugglers were killed near Kavo on 1 February.",
                date=D(2026, 2, 1), location="Kavo", **common),
    ]  # fmt: skip
    (event,) = merge_mentions(assign_blocks(edge))
    assert event.block_key == "*|violence|2026-01"


def everything() -> list[Mention]:
    """All hand-built mentions of this module, with block keys."""
    return assign_blocks(kavo_clash() + worker_attacks() + leader_calls())


def test_merge_is_order_free_with_stable_ids() -> None:
    reference = merge_mentions(everything())
    for seed in (1, 2, 3):
        shuffled = everything()
        random.Random(seed).shuffle(shuffled)
        assert merge_mentions(shuffled) == reference


def test_merge_event_id_from_smallest_mention_id() -> None:
    (event,) = merge_mentions(assign_blocks(kavo_clash()))
    again = merge_mentions(assign_blocks(kavo_clash()[::-1]))
    assert event.event_id == again[0].event_id
    assert event.event_id.startswith("ev-")
    assert len(event.event_id) == 15


def test_update_in_three_chunks_equals_batch() -> None:
    mentions = everything()
    random.Random(9).shuffle(mentions)
    stored_mentions: dict[str, list[Mention]] = {}
    stored_events: dict[str, list[Event]] = {}  # block_key -> events: the store's replace_events, in a dict
    for chunk in (mentions[:4], mentions[4:9], mentions[9:]):
        for m in chunk:
            assert m.block_key is not None
            stored_mentions.setdefault(m.block_key, []).append(m)
        keys = plan_update(chunk)
        loaded = [m for key in blocks_to_load(keys) for m in stored_mentions.get(key, [])]
        for key in keys:
            stored_events.pop(key, None)
        for event in update_events(loaded, keys):
            assert event.block_key in keys
            stored_events.setdefault(event.block_key, []).append(event)
    incremental = sorted((e for es in stored_events.values() for e in es), key=lambda e: e.event_id)
    assert incremental == merge_mentions(mentions)


def test_update_chunk_joining_month_edge_replaces_old_event() -> None:
    common = {**KAVO, **TJ_GUARDS, "actor2": "smugglers", "actor2_country": "AF", "killed": 2}
    first = assign_blocks([mention("g-1", "ASSAULT", "Guards shot two smugglers on 1 March.",
                                   date=D(2026, 3, 1), location="Kavo", **common)])  # fmt: skip
    second = assign_blocks([mention("g-2", "ASSAULT", "Two smugglers were shot dead at Kavo on 28 February.",
                                    date=D(2026, 2, 28), location="Kavo", **common)])  # fmt: skip
    store: dict[str, list[Event]] = {}
    for chunk in (first, second):
        keys = plan_update(chunk)
        for key in keys:
            store.pop(key, None)
        for event in update_events(first + second if chunk is second else first, keys):
            store.setdefault(event.block_key or "", []).append(event)
    assert [groups(es) for es in store.values()] == [[["g-1", "g-2"]]]


def test_merge_copies_count_once_for_best() -> None:
    clash = kavo_clash()
    wire = [
        mention(f"w-{n}", "ASSAULT", "On 25 December guards killed three militants who crossed the river.",
                date=D(2025, 12, 25), killed=3, **KAVO, **TJ_GUARDS)
        for n in range(3)
    ]  # fmt: skip
    copies = {f"w-{n}": "a-4" for n in range(3)}
    (event,) = merge_mentions(assign_blocks(clash + wire), copies)
    assert event.fatalities is not None
    assert event.fatalities.best == 5
    assert event.date == D(2025, 12, 24)


def test_merge_same_article_vague_and_exact_report_of_one_attack_join() -> None:
    target = {"actor2": "Chinese workers", "actor2_country": "CN", "country": "TJ", "admin1": "Khatlon"}
    week = {"date": D(2025, 11, 24), "date_precision": "range", "date_end": D(2025, 11, 30)}
    reports = [
        mention("h-1", "ASSAULT", "Three Chinese workers died in a raid on their camp last week.",
                killed=3, **week, **target),
        mention("h-1", "ASSAULT", "The camp was hit on the night of 26 November, officials said.", start=200,
                date=D(2025, 11, 26), **target),
        mention("h-2", "ASSAULT", "A raid on a Chinese workers' camp on 26 November killed three.",
                date=D(2025, 11, 26), killed=3, **target),
    ]  # fmt: skip
    events = merge_mentions(assign_blocks(reports))
    assert groups(events) == [["h-1", "h-2"]]


def test_merge_same_article_two_days_stay_apart() -> None:
    target = {"actor2": "Chinese workers", "actor2_country": "CN", "country": "TJ"}
    reports = [
        mention("i-1", "ASSAULT", "Gunmen raided a Chinese camp on 26 November.",
                date=D(2025, 11, 26), **target),
        mention("i-1", "ASSAULT", "A second raid on Chinese workers followed on 30 November.", start=90,
                date=D(2025, 11, 30), **target),
    ]  # fmt: skip
    assert len(merge_mentions(assign_blocks(reports))) == 2


def test_merge_assumed_date_matches_the_week_before_it() -> None:
    common = {**KAVO, **TJ_GUARDS, "actor2": "smugglers", "actor2_country": "AF", "killed": 2}
    stated = mention("j-1", "ASSAULT", "Guards shot two smugglers near Kavo on 10 March.",
                     date=D(2026, 3, 10), location="Kavo", **common)  # fmt: skip
    # No date in the sentence: extraction gives the article's date (16 March) without date_text.
    assumed = mention("j-2", "ASSAULT", "Two smugglers were shot dead by guards near Kavo.",
                      date=D(2026, 3, 16), date_text=None, location="Kavo", **common)  # fmt: skip
    (event,) = merge_mentions(assign_blocks([stated, assumed]))
    assert event.date == D(2026, 3, 10)
    assert [d.field for d in event.discrepancies] == []


def test_join_edges_tail_takes_two_heads_of_next_month() -> None:
    common = {**KAVO, **TJ_GUARDS, "actor2": "smugglers", "actor2_country": "AF"}
    tail = (
        mention("k-1", "ASSAULT", "Guards killed two smugglers at Kavo on 30 April.",
                date=D(2026, 4, 30), location="Kavo", killed=2, **common),
        mention("k-2", "ASSAULT", "Two smugglers died in a shootout with guards at Kavo on 30 April.",
                date=D(2026, 4, 30), location="Kavo", killed=2, **common),
    )  # fmt: skip
    # Two May reports without a date of their own, clustered apart within May (as if too unlike).
    heads = [
        (mention("k-3", "ASSAULT", "Guards killed two smugglers at Kavo, the committee said.",
                 date=D(2026, 5, 2), date_text=None, location="Kavo", **common),),
        (mention("k-4", "ASSAULT", "Two smugglers died in a shootout at Kavo.",
                 date=D(2026, 5, 3), date_text=None, killed=2, location="Kavo", **KAVO),),
    ]  # fmt: skip
    by_block = {"TJ|violence|2026-04": [tail], "TJ|violence|2026-05": heads}
    joined = _join_edges(by_block, THRESHOLD, WINDOW_DAYS)
    assert [(key, sorted(m.article_id for m in c)) for key, c in joined] == [
        ("TJ|violence|2026-04", ["k-1", "k-2", "k-3", "k-4"])
    ]


def test_join_edges_head_that_cannot_link_stays_apart() -> None:
    common = {**KAVO, **TJ_GUARDS, "actor2": "smugglers", "actor2_country": "AF"}
    tail = (mention("l-1", "ASSAULT", "Guards killed two smugglers at Kavo on 30 April.",
                    date=D(2026, 4, 30), location="Kavo", killed=2, **common),)  # fmt: skip
    heads = [
        (mention("l-2", "ASSAULT", "Guards killed two smugglers at Kavo on 1 May.",
                 date=D(2026, 5, 1), location="Kavo", killed=2, **common),),
        # The same article as l-2 reporting another act: it may not join l-2's event.
        (mention("l-2", "ASSAULT", "Separately, troops shelled a camp in Darvoz on 2 May.", start=80,
                 date=D(2026, 5, 2), admin1="Gorno-Badakhshan", admin2="Darvoz", country="TJ", **TJ_GUARDS),),
    ]  # fmt: skip
    by_block = {"TJ|violence|2026-04": [tail], "TJ|violence|2026-05": heads}
    joined = sorted(sorted(m.mention_id for m in c) for _, c in _join_edges(by_block, THRESHOLD, WINDOW_DAYS))
    assert joined == [["l-1:0:ASSAULT", "l-2:0:ASSAULT"], ["l-2:80:ASSAULT"]]


def test_merge_keeps_statements_said_days_apart_separate() -> None:
    """A ministry that demands action on the 27th and again on the 1st made two demands."""
    demand = {"country": "TJ", "admin1": "Dushanbe", "location": "Dushanbe", "actor1": "Tajik ministry",
              "actor1_country": "TJ", "actor2": "Taliban", "actor2_country": "AF",
              "confidence": 0.8}  # fmt: skip
    first = mention(
        "c-1", "REQUEST", "The ministry urged the Taliban to act on Thursday.", date=D(2025, 11, 27), **demand
    )
    again = mention(
        "c-2", "REQUEST", "The ministry urged the Taliban to act on Monday.", date=D(2025, 12, 1), **demand
    )
    next_day = mention(
        "c-3", "REQUEST", "On Friday the ministry urged the Taliban to act.", date=D(2025, 11, 28), **demand
    )
    events = merge_mentions(assign_blocks([first, again, next_day], {}), {})
    groups = sorted(sorted(m.article_id for m in e.mentions) for e in events)
    assert groups == [["c-1", "c-3"], ["c-2"]]
    merged = next(e for e in events if len(e.mentions) == 2)
    assert [d.field for d in merged.discrepancies] == []  # one day apart: said, then reported


def test_merge_joins_attack_reported_days_apart() -> None:
    """The same days apart do not split an attack: its date is disputed, not repeated."""
    clash = kavo_clash()
    late = mention("a-5", "ASSAULT", "Guards fought intruders near Kavo; five men died.",
                   date=D(2025, 12, 27), location="Kavo", killed=5, confidence=0.7,
                   **KAVO, **TJ_GUARDS)  # fmt: skip
    events = merge_mentions(assign_blocks([*clash, late], {}), {})
    assert len(events) == 1


def test_merge_reads_capital_of_attack_report_as_dateline() -> None:
    """ "DUSHANBE: guards fought intruders" places the report, not the clash near Kavo."""
    clash = kavo_clash()
    dateline = mention("a-6", "ASSAULT", "DUSHANBE: Guards fought intruders near the border; five men died.",
                       date=D(2025, 12, 26), country="TJ", admin1="Dushanbe", location="Dushanbe", killed=5,
                       confidence=0.8, **TJ_GUARDS, actor2="militants from Afghanistan",
                       actor2_country="AF")  # fmt: skip
    events = merge_mentions(assign_blocks([*clash, dateline], {}), {})
    assert len(events) == 1
    assert (events[0].admin1, events[0].location) == ("Khatlon", "Kavo")
    assert "location" not in {d.field for d in events[0].discrepancies}


def test_similarity_statement_stated_last_week_is_not_one_said_after_it() -> None:
    common = {"country": "AF", "actor1": "Amir Khan Muttaqi", "actor1_country": "AF"}
    last_week = mention("d-1", "SUPPORT", "Muttaqi offered a joint probe last week.", date=D(2025, 11, 24),
                        date_precision="range", date_end=D(2025, 11, 30), **common)  # fmt: skip
    tuesday = mention(
        "d-2", "SUPPORT", "Muttaqi offered a joint probe on Tuesday.", date=D(2025, 12, 2), **common
    )
    assert similarity(last_week, tuesday) is None
    published_after = replace(
        last_week, date=D(2025, 12, 3), date_precision="day", date_end=None, date_text=None
    )
    assert similarity(published_after, tuesday) is not None  # an undated report of it, a day later
    published_before = replace(published_after, date=D(2025, 11, 29))
    assert similarity(published_before, tuesday) is None  # reported before it was said: another one
    attack = {"event_type": "ASSAULT", "mention_id": "d-3:0:ASSAULT"}
    assert similarity(replace(last_week, **attack), replace(tuesday, event_type="ASSAULT")) is not None


def test_actor_score_compares_countries_role_by_role() -> None:
    attackers = mention("e-1", "ASSAULT", "Intruders crossed.", actor1="intruders", actor1_country="AF")
    defenders = mention("e-2", "ASSAULT", "Guards fought.", actor2="the guards", actor2_country="TJ")
    assert country_agreement(attackers, defenders) is None  # two halves of one clash: no evidence
    assert actor_score(attackers, defenders) == 0.5
    other = mention("e-3", "ASSAULT", "Guards fired.", actor1="guards", actor1_country="TJ")
    assert country_agreement(attackers, other) == 0.0


def test_tokens_fold_plurals_of_actor_words() -> None:
    assert identifying_words(
        mention("f-1", "ASSAULT", "q", actor1="Tajik border guards")
    ) == identifying_words(mention("f-2", "ASSAULT", "q", actor1="Tajikistan's border guard"))
    assert stem("press") == "press"
    assert stem("its") == "its"


def test_merge_mentions_of_wire_copies_follow_their_original() -> None:
    originals = kavo_clash()
    copies = [replace(m, article_id=f"copy-{n}", mention_id=f"copy-{n}:{m.start}:{m.event_type}")
              for n, m in enumerate(originals[:2])]  # fmt: skip
    copy_of = {c.article_id: o.article_id for c, o in zip(copies, originals[:2], strict=True)}
    events = merge_mentions(assign_blocks(originals + copies), copy_of)
    assert len(events) == 1
    assert {m.article_id for m in events[0].mentions} == {m.article_id for m in originals + copies}
    assert events[0] == merge_mentions(assign_blocks(copies + originals), copy_of)[0]


# -- an unknown country is no mismatch (our own sentences) ------------------------------------


def test_report_without_a_country_merges_with_one_that_gives_it() -> None:
    sides = {"actor1": "Armenian forces", "actor1_country": "AM", "actor2": "Azerbaijani forces",
             "actor2_country": "AZ"}  # fmt: skip
    sparse = [
        mention("u-1", "ASSAULT", "Shelling near Goris killed four soldiers on 3 March.",
                date=D(2026, 3, 3), country="AM", location="Goris", killed=4, confidence=0.7, **sides),
        mention("u-2", "ASSAULT", "Four soldiers died in shelling on 3 March, the ministry said.",
                date=D(2026, 3, 3), killed=6, confidence=0.7),
    ]  # fmt: skip
    (event,) = merge_mentions(assign_blocks(sparse))
    assert event.country == "AM"
    assert {d.field for d in event.discrepancies} >= {"fatalities"}


def test_two_stated_countries_are_two_events() -> None:
    a = mention(
        "v-1", "ASSAULT", "Shelling hit a border village on 3 March.", date=D(2026, 3, 3), country="AM"
    )
    b = mention(
        "v-2", "ASSAULT", "Shelling hit a border village on 3 March.", date=D(2026, 3, 3), country="AZ"
    )
    assert similarity(a, b) is None
    assert len(merge_mentions(assign_blocks([a, b]))) == 2


def test_fields_neither_states_do_not_lower_similarity() -> None:
    quote = "Guards and smugglers traded fire at the crossing on 3 March."
    bare = [mention(f"w-{i}", "ASSAULT", quote, date=D(2026, 3, 3)) for i in (1, 2)]
    rich = [
        mention(f"x-{i}", "ASSAULT", quote, date=D(2026, 3, 3), killed=2, **KAVO, **TJ_GUARDS) for i in (1, 2)
    ]
    assert similarity(*bare) == similarity(*rich) == 1.0


def test_two_sides_announcing_one_agreement_from_home_merge_at_the_venue() -> None:
    day = {"date": D(2026, 4, 12), "mode": "statement"}
    kabul = mention("k-1", "AGREE", "Kabul said it agreed a truce with Islamabad at talks abroad.",
                    country="AF", admin1="Kabul", location="Kabul", actor1="Kabul", actor1_country="AF",
                    actor2="Islamabad", actor2_country="PK", **day)  # fmt: skip
    islamabad = mention("i-1", "AGREE", "Islamabad announced a truce agreed with Kabul at talks abroad.",
                        country="PK", admin1="Islamabad Capital Territory", location="Islamabad",
                        actor1="Islamabad", actor1_country="PK", actor2="Kabul", actor2_country="AF",
                        **day)  # fmt: skip
    venue = mention("v-1", "AGREE", "In Antalya the two sides agreed a truce, the hosts said.",
                    country="TR", admin1="Antalya", location="Antalya", actor2="Kabul",
                    actor2_country="AF", **day)  # fmt: skip
    events = merge_mentions(assign_blocks([kabul, islamabad, venue]))
    assert len(events) == 1
    assert (events[0].country, events[0].location) == ("TR", "Antalya")
    # Two attacks in two stated countries stay apart: only joint acts are told from home.
    strikes = [replace(m, event_type="ASSAULT", mention_id=m.mention_id.replace("AGREE", "ASSAULT"))
               for m in (kabul, islamabad)]  # fmt: skip
    assert len(merge_mentions(assign_blocks(strikes))) == 2
    # A joint act placed where neither speaker sits is no seat: two venues, two events.
    other = replace(venue, mention_id="w-1:0:AGREE", article_id="w-1", country="QA", admin1="Doha",
                    location="Doha")  # fmt: skip
    assert len(merge_mentions(assign_blocks([venue, other]))) == 2


def test_statement_dated_days_before_an_undated_report_is_another_statement() -> None:
    from sitrep.resolve.similarity import is_said_apart

    ministry = {"actor1": "Foreign ministry", "actor1_country": "TJ", "country": "TJ"}
    said = mention(
        "a",
        "ACCUSE",
        "On 3 March the ministry accused the rebels of the raid.",
        date=D(2026, 3, 3),
        **ministry,
    )
    fresh = mention(
        "b", "ACCUSE", "The ministry accused the rebels.", date=D(2026, 3, 4), date_text=None, **ministry
    )
    later = mention(
        "c", "ACCUSE", "The ministry accused the rebels.", date=D(2026, 3, 9), date_text=None, **ministry
    )
    assert not is_said_apart(said, fresh)  # a day later: news of that saying
    assert is_said_apart(said, later)  # six days later: an undated report of a new saying
    assert is_said_apart(later, said)


def test_two_directions_of_one_reciprocal_accusation_stay_two_events() -> None:
    quote = "The two capitals blamed each other for the shooting at the dam."
    both = {"date": D(2024, 5, 2), "event_type": "ACCUSE"}
    one = mention("r-1", "ACCUSE", quote, country="AA", actor1="Aland", actor1_country="AA",
                  actor2="Borduria", actor2_country="BB", date=both["date"])  # fmt: skip
    other = replace(one, mention_id="r-1:0:ACCUSE:BB", country="BB", actor1="Borduria", actor1_country="BB",
                    actor2="Aland", actor2_country="AA")  # fmt: skip
    events = merge_mentions(assign_blocks([one, other]))
    assert sorted(e.country or "" for e in events) == ["AA", "BB"]
