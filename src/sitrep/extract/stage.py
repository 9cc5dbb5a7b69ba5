"""ExtractEvents: Article -> Mention, one per act an article reports, typed, dated, placed, counted, quoted.

Per article: cheap sentence split, trigger filter, NER over the survivors in `nlp.pipe` batches,
then per sentence the event types (events.py), dates (dates.py), counts (numbers.py), actors
(actors.py) and place (places.py). An undated attack right after sentences that narrate its course
("crossed on Tuesday and were located on Wednesday") takes their date; acts after "The meeting came a
day after" are dated from that meeting. Other undated mentions take the date of the nearest dated
mention of the same kind in the article (drafts.inherit_dates: a coder reads "the attack" as the one
just described); mentions of one type, date and country in one article are one mention.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from sitrep.config import ExtractConfig
from sitrep.countries import COUNTRY_WORDS, NAMES, countries_named, most_named_country, words_pattern
from sitrep.extract.actors import (
    ATTACKER_HEADS,
    Actor,
    anaphor_head,
    canonical_name,
    find_actors,
    origin_country,
)
from sitrep.extract.attribution import (
    battle_sides,
    dates_violence,
    home_side,
    is_oblique,
    is_victim,
    pick_actors,
    pick_date,
)
from sitrep.extract.clauses import Parse, earlier_clause, from_doc, needs_parse
from sitrep.extract.dates import (
    REFERENT_TYPES,
    DateSpan,
    days_after_first,
    days_before_referent,
    estimate_reference,
    find_dates,
    in_caption,
    latest_full_date,
    scene_date,
)
from sitrep.extract.drafts import Draft, group_drafts, inherit_dates
from sitrep.extract.events import SPEECH, VIOLENT, Trigger, classify, headline_blocks, violent_mode
from sitrep.extract.nlp import is_candidate, load_nlp, load_parser, region_patterns, split_sentences
from sitrep.extract.numbers import read_casualties
from sitrep.extract.places import (
    PlaceChoice,
    places_in,
    seat_of,
    speaker_seat,
    venue_in,
    violence_place,
)
from sitrep.extract.ru import RussianEvents
from sitrep.model import EXTRACTED_LANGUAGES, Article, Gazetteer, Mention, Rejected

log = logging.getLogger(__name__)
_SCENE_SENTENCES = 2  # sentences before an undated attack that may narrate its course and date
NAME = "extract.rules.v2"  # v2: cue table, clause rules, named non-event rules

# Confidence of a mention: the base of a rule-coded act, less what a careful reader would doubt.
CONFIDENCE_BASE = 0.8  # a cue matched in a reported (not negated, modal or hypothetical) clause
CONFIDENCE_NO_OWN_DATE = 0.2  # the date is borrowed from another sentence, or there is none
CONFIDENCE_PUBLICATION_DATE = 0.1  # no date at all: the article's own day stands in, for the scorer
CONFIDENCE_NO_PLACE = 0.1  # no place named for the act
CONFIDENCE_FLOOR = 0.05  # never zero: the mention is still evidence the merge can weigh


@dataclass(frozen=True)
class ExtractEvents:
    """Article -> Mention | Rejected by lexical rules over NER-tagged trigger sentences."""

    name: ClassVar[str] = NAME
    config: ExtractConfig
    gazetteer: Gazetteer | None = None
    place_patterns: tuple[dict[str, Any], ...] = ()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Mention | Rejected]:
        nlp: Any = None
        batch: list[Article] = []
        for article in articles:
            path = reading_path(article)
            if path == "ru":  # its own reader (extract/ru.py): Russian cues, natasha, Cyrillic names
                for mention in RussianEvents(self.gazetteer)([article]):
                    if mention.confidence >= self.config.min_confidence:
                        yield mention
                continue
            if path is None:
                continue  # a language no reader knows: stored and counted, never read by English rules
            if nlp is None:
                nlp = self._nlp()
            batch.append(article)
            if len(batch) >= 16:  # articles per NER batch; sentences per nlp.pipe batch come from config
                yield from self._run(nlp, batch)
                batch = []
        if batch:
            yield from self._run(nlp, batch)

    def _nlp(self) -> Any:
        patterns = list(self.place_patterns)
        if not patterns and self.gazetteer is not None:
            patterns = region_patterns(list(self.gazetteer.names()))
        return load_nlp(self.config.model, json.dumps(patterns, sort_keys=True))

    def _run(self, nlp: Any, articles: list[Article]) -> Iterator[Mention | Rejected]:
        jobs: list[tuple[Article, list[tuple[int, int]]]] = []
        texts: list[str] = []
        for article in articles:
            if not article.text.strip():
                yield Rejected(
                    article.article_id, self.name, "no_text", "the article has no text", article.source
                )
                continue
            sents = [(s, e) for s, e in split_sentences(article.text) if is_candidate(article.text[s:e])]
            jobs.append((article, sents))
            texts.extend(article.text[s:e] for s, e in sents)
        docs = iter(nlp.pipe(texts, batch_size=self.config.batch_size)) if texts else iter(())
        # only sentences where a cue matches and a clause rule could apply are parsed
        cued = [text for text in texts if needs_parse(text) and classify(text)]
        parser = load_parser(self.config.model) if cued else None
        trees = (
            dict(zip(cued, parser.pipe(cued, batch_size=self.config.batch_size), strict=True))
            if parser
            else {}
        )
        for article, sents in jobs:
            ents = [[(e.start_char, e.end_char, e.label_) for e in next(docs).ents] for _ in sents]
            parses = [
                from_doc(trees[text]) if text in trees else None
                for text in (article.text[s:e] for s, e in sents)
            ]
            for mention in _ArticleCoder(article, self.gazetteer).code(sents, ents, parses):
                if mention.confidence >= self.config.min_confidence:
                    yield mention


def reading_path(article: Article) -> str | None:
    """Which reader takes `article`: "en" (also articles of unknown language, and those stored before
    languages were detected), "ru", or None for a language no reader knows yet (not extracted)."""
    language = article.language or "en"
    return language if language in EXTRACTED_LANGUAGES else None


def reference_date(article: Article) -> dt.date | None:
    """The date relative expressions are read against: the article's publication date; for an
    undated article, its latest full date, else its latest month-day placed near the pipeline's
    estimate (published_from "estimated:..."), or that estimate where it is later."""
    estimated = (article.published_from or "").startswith("estimated:")
    if article.published is not None and not estimated:
        return article.published
    found = latest_full_date(article.text) or estimate_reference(article.text, article.published)
    if found is None or article.published is None:
        return found or article.published
    # the text gives a lower bound (a report follows the latest day it names); the estimate, taken
    # from the most alike dated article, may be later and is then the better guess
    return max(found, article.published) if estimated else found


@dataclass(frozen=True)
class ArticleContext:
    """What a reader knows of the article before reading any sentence of it (never changes)."""

    article: Article
    gazetteer: Gazetteer | None
    ref: dt.date | None  # the day relative dates are read against
    focus: str | None  # the country the article is about
    main_countries: tuple[str, ...]  # countries it names, most named first
    countries: frozenset[str]  # every country it names by some word

    @classmethod
    def of(cls, article: Article, gazetteer: Gazetteer | None) -> ArticleContext:
        return cls(
            article,
            gazetteer,
            reference_date(article),
            _focus_country(article.text),
            tuple(_named_countries(article.text)),
            frozenset(countries_named(article.text)),  # whole words of sitrep.countries
        )


@dataclass(frozen=True)
class ReaderState:
    """What a reader remembers after the sentences read so far: who was named, who spoke."""

    context: ArticleContext
    last_actor: tuple[tuple[str, Actor], ...] = ()  # head word -> the last actor with that head
    last_speaker: Actor | None = None
    embassy_host: str | None = None
    speaker: tuple[str, str] | None = None  # (country, head) of the last sentence's speaker, if any


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence: its text and offsets in the article, entities, dates and parse."""

    text: str
    start: int
    end: int
    ents: tuple[tuple[int, int, str], ...]
    dates: tuple[DateSpan, ...]
    parse: Parse | None = None


class _ArticleCoder:
    """Codes the events of one article: reads its sentences in order with `code_sentence`, then
    dates, groups and settles the drafts into mentions."""

    def __init__(self, article: Article, gazetteer: Gazetteer | None) -> None:
        self.article = article
        self.context = ArticleContext.of(article, gazetteer)
        self.ref = self.context.ref
        self.focus = self.context.focus

    def code(
        self,
        sents: list[tuple[int, int]],
        ents: list[list[tuple[int, int, str]]],
        parses: list[Parse | None] | None = None,
    ) -> list[Mention]:
        drafts: list[Draft] = []
        anchors: list[tuple[int, DateSpan]] = []
        speakers: dict[int, tuple[str, str]] = {}  # anchor offset -> (country, head) of its speaker
        every = list(split_sentences(self.article.text))
        state = ReaderState(self.context)
        blocks = headline_blocks(self.article.text)
        for n, ((start, end), sent_ents) in enumerate(zip(sents, ents, strict=True)):
            sentence = self.article.text[start:end]
            if any(a <= start < b for a, b in blocks):
                continue  # a list of other stories' headlines ("ALSO READ"): not this article's news
            if in_caption(self.article.text, start) and re.search(r"\b(?:19|20)\d\d\b", sentence):
                continue  # a dated photo caption shows a scene, often an archive one, not a reported act
            dates = find_dates(sentence, self.ref)
            parse = parses[n] if parses else None
            sent = Sentence(sentence, start, end, tuple(sent_ents), tuple(dates), parse)
            new, state = code_sentence(sent, state)
            anchors.extend((start + d.start, d) for d in dates if d.is_speech and d.precision != "year")
            if state.speaker is not None:
                speakers.update((start + d.start, state.speaker) for d in dates if d.is_speech)
            if any(d.trigger.event_type == "ASSAULT" and d.date is None for d in new):
                before = [(a, self.article.text[a:b]) for a, b in every if b <= start][-_SCENE_SENTENCES:]
                scene = scene_date(before, self.ref)
                for d in new:
                    if scene is not None and d.trigger.event_type == "ASSAULT" and d.date is None:
                        d.extra["scene"] = scene
            self._date_from_referent(sentence, new, drafts)
            drafts.extend(new)
        inherit_dates(drafts, anchors, speakers)
        _venue_of_talks(drafts, self.ref)
        return self._settle(drafts)

    def _date_from_referent(self, sentence: str, new: list[Draft], earlier: list[Draft]) -> None:
        """Date the undated acts after "The meeting came a day after" from that meeting's own date."""
        found = days_before_referent(sentence)
        if found is None:
            return
        noun, days, after, words = found
        family = REFERENT_TYPES[noun]
        dated = [
            d
            for d in earlier
            if d.date is not None
            and d.date.precision == "day"
            and (d.trigger.event_type == family or (family == "SPEECH" and d.trigger.event_type in SPEECH))
        ]
        if not dated:
            return
        referent = dated[-1].date
        assert referent is not None  # filtered above; for the type checker
        for draft in new:
            if draft.date is None and draft.trigger.offset >= after:
                when = referent.date - dt.timedelta(days=days)
                draft.date = DateSpan(when, "day", None, words, 0, 0, False)

    def _settle(self, drafts: list[Draft]) -> list[Mention]:
        # an unplaced act of this article is where its other acts of violence were placed; never the
        # most-named country (a name in the text is no place of an act)
        default_country = self._main_country(drafts)
        groups = group_drafts(drafts, default_country)
        mentions = [self._mention(kind, country, date, members) for kind, country, date, members in groups]
        seen: set[str] = set()
        for i, m in enumerate(mentions):  # two directions of "accused each other" share a quote
            if m.mention_id in seen:
                mentions[i] = m = replace(m, mention_id=f"{m.mention_id}:{m.actor1_country or i}")
            seen.add(m.mention_id)
        return mentions

    def _main_country(self, drafts: list[Draft]) -> str | None:
        tally: dict[str, int] = {}
        for d in drafts:
            if d.place and d.place.country and d.trigger.event_type in VIOLENT:
                tally[d.place.country] = tally.get(d.place.country, 0) + 1
        return max(tally, key=lambda c: tally[c]) if tally else None

    def _mention(
        self, event_type: str, country: str | None, date: DateSpan | None, members: list[Draft]
    ) -> Mention:
        # the quote: the member that says the most (own date, count, place), earliest first
        def richness(d: Draft) -> tuple[int, int]:
            has = (d.date is not None and not d.inherited) + (d.killed is not None) + (d.place is not None)
            return (-has, d.start)

        best = min(members, key=richness)
        places = [d.place for d in members if d.place is not None and d.place.country == country]
        place = min(places, key=lambda p: p.rank) if places else None
        counted = [d for d in members if d.killed is not None or d.injured is not None]
        killed = max((d.killed for d in counted if d.killed is not None), default=None)
        injured = max((d.injured for d in counted if d.injured is not None), default=None)
        a1 = next((d.actor1 for d in [best, *members] if d.actor1 is not None), None)
        a2 = next((d.actor2 for d in [best, *members] if d.actor2 is not None), None)
        confidence = CONFIDENCE_BASE
        if date is None or best.inherited:
            confidence -= CONFIDENCE_NO_OWN_DATE
        if date is None and self.ref is not None:
            date = DateSpan(self.ref, "day", None, "", 0, 0, False)  # the scorer needs a date: the article's
            confidence -= CONFIDENCE_PUBLICATION_DATE
        if place is None:
            confidence -= CONFIDENCE_NO_PLACE
        # the most telling member's ACLED coding: a weapon or a battle it names beats a bare "attack"
        # (members that only inherited the date may retell another attack: their weapon is not this one's)
        codings = [
            d.extra["acled"]
            for d in [best, *members]
            if "acled" in d.extra and (d is best or not d.inherited)
        ]
        telling = next((c for c in codings if c[2] != "Attack"), codings[0] if codings else None)
        acled = telling if event_type == "ASSAULT" or killed or injured else None
        mode = acled[0] if acled else best.trigger.mode
        if acled and acled[2] == "Armed clash":
            a1, a2 = battle_sides(a1, a2)
        c1, c2 = a1.country if a1 else None, a2.country if a2 else None
        if event_type in VIOLENT and place is not None:
            c1, c2 = home_side(country, a1, a2)
        return Mention(
            mention_id=f"{self.article.article_id}:{best.start}:{event_type}",
            article_id=self.article.article_id,
            event_type=event_type,
            quote=best.quote,
            start=best.start,
            end=best.end,
            mode=mode,
            acled_event_type=acled[1] if acled else None,
            acled_sub_event_type=acled[2] if acled else None,
            date=date.date if date else None,
            date_precision=date.precision if date else "day",
            date_end=date.end if date else None,
            # Only a date some member's own sentence states keeps its words; an inherited or default
            # date has none, so the merge treats it as assumed (no vote, no discrepancy).
            # A statement dated only to a span ("said last week") does not say its day: no vote either.
            date_text=(date.text or None)
            if date
            and any(d.date and not d.inherited for d in members)
            and not (event_type in SPEECH and date.precision == "range")
            else None,
            country=country,
            place_text=place.text if place else None,
            actor1=canonical_name(a1.text) if a1 else None,
            actor1_country=c1,
            actor2=canonical_name(a2.text) if a2 else None,
            actor2_country=c2,
            killed=killed,
            injured=injured,
            confidence=round(max(CONFIDENCE_FLOOR, confidence), 2),
            extractor=NAME,
        )


def code_sentence(sent: Sentence, state: ReaderState) -> tuple[list[Draft], ReaderState]:
    """The drafts of one sentence, and what the reader remembers after it (a pure function).

    Anaphora ("The ministry said") take the actor last named with that head; "the statement"
    takes the last speaker; an embassy without a host sits where the last one sat.
    """
    ctx = state.context
    sentence, start, end, ents, dates, parse = (
        sent.text,
        sent.start,
        sent.end,
        sent.ents,
        list(sent.dates),
        sent.parse,
    )
    last_actor = dict(state.last_actor)
    last_speaker = state.last_speaker
    embassy_host = state.embassy_host
    persons = [(a, b) for a, b, label in ents if label == "PERSON"]
    actors = find_actors(sentence, persons)
    actors.extend(_acronym_speakers(ctx.article.text, sentence, start, actors))
    actors.sort(key=lambda a: a.start)
    head = anaphor_head(sentence)
    if head and not any(a.start < 15 and a.country for a in actors):
        prior = last_actor.get(head) if head not in {"any", "statement"} else last_speaker
        named = next((a for a in actors if a.start < 60 and a.country is None), None)  # as anaphor_head
        if prior is not None and named is not None and named.head.split()[-1] == head:
            # "The ministry said": the ministry named before, with its full name and country
            actors[actors.index(named)] = replace(
                named, text=prior.text, country=prior.country, host=prior.host, head=prior.head
            )
        elif prior is not None:
            actors.insert(0, replace(prior, start=0, stop=0))
    said = _STATEMENT_SAID.search(sentence)
    if said and last_speaker is not None:
        actors.append(replace(last_speaker, start=said.start(), stop=said.start(), sentence_after=" said"))
        actors.sort(key=lambda a: a.start)
    for i, actor in enumerate(actors):
        if actor.country is None and _INSTITUTION.search(actor.head) and not _named_office_holder(actor):
            actors[i] = actor = replace(
                actor, country=ctx.focus
            )  # an unqualified ministry is the focus country's
        if actor.head.startswith(("embass", "ambassador", "diplomat")):
            if actor.host:
                embassy_host = actor.host
            else:
                actors[i] = actor = replace(actor, host=embassy_host or ctx.focus)
        if actor.country and actor.stop:
            last_actor[actor.head.split()[-1]] = actor
    subject = next((a for a in actors if a.country and not is_oblique(a) and not is_victim(a)), None)
    speaker = None
    if subject is not None and _SPEECH_VERB.search(sentence):
        last_speaker = subject
        speaker = (subject.country, subject.head) if subject.country else None
    places = [
        p
        for p in places_in(sentence, list(ents), ctx.gazetteer, set(ctx.countries))
        if p.country in ctx.countries and not _town_of_a_bystander(p, ctx)
    ]
    counts = read_casualties(sentence)
    drafts = []
    found = classify(sentence, parse)
    for trig in found:
        if trig.event_type == "SUPPORT" and _JOINT_SUBJECT.search(sentence[: trig.offset]):
            if any(t.event_type == "AGREE" for t in found):
                continue  # "both sides agreed ... and pledged ...": one agreement
            trig = replace(trig, event_type="AGREE", mode="statement")  # a mutual pledge
        date, speech = pick_date(dates, trig, sentence)
        if date is not None and date.precision == "year":
            continue  # an event must be datable to at least a month
        if date is not None and ctx.ref is not None and date.date > ctx.ref + dt.timedelta(days=1):
            continue  # a future date: a plan, not an act
        a1, a2 = pick_actors(actors, trig)
        if (
            trig.event_type == "ASSAULT"
            and not any(a.country for a in actors)
            and _is_bare_death(sentence, trig)
        ):
            continue  # "the bodies of those killed were flown home": a death, with no one who killed
        reciprocal = trig.event_type == "ACCUSE" and bool(_RECIPROCAL.search(sentence))
        if trig.event_type in SPEECH and a1 is None and not actors and not reciprocal:
            continue  # a statement nobody makes ("Instability threatens the projects") is no act
        if trig.event_type in VIOLENT:  # "militants from Afghanistan", "launched from Afghan soil" -> AF
            a1 = _with_origin(a1, sentence)
        place = _place(ctx, trig, sentence, places, a1)
        if trig.event_type == "AGREE" and a1 is not None and _announces_joint(sentence, a1):
            a1 = None  # "the mediator announced that both nations had pledged": the announcer is no party
        draft = Draft(trig, start, end, sentence, date, speech, place, a1, a2)
        if trig.event_type in _ABOUT_AN_ACT and date is None and speech is None:
            acts = [
                d for d in dates if d.precision == "day" and not d.is_speech and dates_violence(sentence, d)
            ]
            if acts:
                draft.extra["act_date"] = acts[0]
        if trig.event_type in VIOLENT and counts.is_aggregate and (date is None or date.precision != "day"):
            continue  # "five killed in two attacks (last week)": a toll over events, not one event's date
        if trig.event_type in VIOLENT:
            if date is None and parse is not None and earlier_clause(parse, trig.offset):
                draft.extra["earlier"] = True  # "after X shelled the town": not the main act's day
            if date is None and days_after_first(sentence) is not None:
                draft.extra["days_after"] = days_after_first(sentence)
            draft.aggregate = counts.is_aggregate
            if not counts.is_aggregate:
                draft.killed, draft.injured = counts.killed, counts.injured
            draft.extra["acled"] = violent_mode(sentence)
        drafts.append(draft)
        if reciprocal:  # "both sides blamed each other": the parties are the article's two countries
            other = _other_direction(ctx, draft, actors)
            if not other and not actors:
                drafts.pop()  # no two parties to be found: an accusation nobody makes
            drafts.extend(other)
        if trig.event_type in SPEECH and a1 is not None:
            last_speaker = a1
    memory = replace(
        state,
        last_actor=tuple(last_actor.items()),
        last_speaker=last_speaker,
        embassy_host=embassy_host,
        speaker=speaker,
    )
    return drafts, memory


def _town_of_a_bystander(place: PlaceChoice, ctx: ArticleContext) -> bool:
    """A town of the city list (not a capital or seat) in a country the article names only by a
    demonym or people ("Russian peacekeepers"), never by its name: in a story about the Caucasus a
    name that is also a small Russian town is more often a misspelt place of the story's own. Unknown
    beats that guess; villages, districts and features of our own tables are kept."""
    if place.rank != 0 or place.country is None or place.country in ctx.main_countries:
        return False
    name = place.text or ""
    if name.lower() in COUNTRY_WORDS or ctx.gazetteer is None:
        return False
    kinds = {p.kind for p in ctx.gazetteer.lookup(name) if p.country == place.country}
    return kinds == {"city"}  # a village, district or feature of our own tables is meant


def _other_direction(ctx: ArticleContext, draft: Draft, actors: list[Actor]) -> list[Draft]:
    """ "X and Y accused each other": one accusation each way. The parties are the sentence's two
    countries, else the countries the article names most; `draft` becomes the first direction."""
    parties: list[Actor] = []
    for actor in actors:
        if actor.country and actor.country not in {p.country for p in parties}:
            parties.append(actor)
    for code in ctx.main_countries:
        if len(parties) >= 2:
            break
        if code not in {p.country for p in parties}:
            parties.append(Actor(_COUNTRY_NAMES.get(code, code), 0, 0, code, "country"))
    if len(parties) < 2:
        return []
    first, second = parties[0], parties[1]
    draft.actor1, draft.actor2 = first, second
    draft.place = seat_of(first.country)
    return [
        replace(draft, actor1=second, actor2=first, place=seat_of(second.country), extra=dict(draft.extra))
    ]


def _place(
    ctx: ArticleContext, trig: Trigger, sentence: str, places: list[PlaceChoice], a1: Actor | None
) -> PlaceChoice | None:
    if trig.event_type in _FIELD_ACTS or (trig.event_type == "PROTEST" and trig.mode != "statement"):
        found = violence_place(places, trig.offset, sentence)
        if found is not None or trig.event_type in VIOLENT:
            return found
    if trig.event_type == "CONSULT" and trig.mode != "phone":  # talks have a venue, a call has none
        venue = venue_in(sentence, ctx.gazetteer, set(ctx.countries), trig.offset)
        if venue is not None and venue.country in ctx.countries:
            return venue
    if trig.event_type == "AGREE":
        # "reached a deal with Kabul in Doha": an agreement is where it was reached, a town or city
        # (a country named after "in" is more often the subject of the deal than its venue)
        venue = venue_in(sentence, ctx.gazetteer, set(ctx.countries), trig.offset)
        if venue is not None and venue.country in ctx.countries and venue.rank < _COUNTRY_RANK:
            return venue
    if trig.event_type in SPEECH and _DURING_VISIT.search(sentence):
        # "During a visit to Tajikistan, Putin said": said where he was, not at home
        venue = venue_in(sentence, ctx.gazetteer, set(ctx.countries), trig.offset)
        if venue is not None and venue.country in ctx.countries:
            return venue
    if trig.event_type in SPEECH:
        seat = speaker_seat(sentence, trig.offset, ctx.gazetteer, set(ctx.countries))
        if seat is not None and seat.country in ctx.countries:
            return seat
    if a1 is None or not (a1.country or a1.host):
        return None
    return seat_of(a1.country, a1.host if a1.head.startswith(("embass", "ambassador", "diplomat")) else None)


_COUNTRY_RANK = 3  # PlaceChoice.rank of a country-wide place
# A statement made abroad: "during a visit to X", "on his trip to X", "while visiting X".
_DURING_VISIT = re.compile(
    r"\b(?:during|on|in the course of)\s+(?:a|an|his|her|their|the|its)\s+(?:[\w-]+\s+){0,2}"
    r"(?:visit|trip|tour)\s+(?:to|in)\b|\bwhile (?:visiting|on a visit to)\b",
    re.I,
)
# Acts done in the field, placed where the sentence puts them (a blockade of a road: see _place).
_FIELD_ACTS = frozenset({*VIOLENT, "MOBILIZE", "AID", "RETREAT"})


def _at_talks(trig: Trigger) -> bool:
    """An act done at talks: an agreement, or talks themselves (a phone call has no venue)."""
    return trig.event_type == "AGREE" or (trig.event_type == "CONSULT" and trig.mode != "phone")


def _venue_of_talks(drafts: list[Draft], ref: dt.date | None) -> None:
    """An agreement (or a round of talks) whose sentence names no venue was reached at the talks the
    article places on its day ("talks opened in Doha on Saturday ... both sides agreed to a truce"):
    it takes their venue. Only when the article places its talks and agreements of that day in one
    country; an undated draft is of the article's own day, as its mention will be."""

    def day(d: Draft) -> dt.date | None:
        return d.date.date if d.date is not None else ref

    for draft in drafts:
        when = day(draft)
        if when is None or not _at_talks(draft.trigger):
            continue
        if draft.place is not None and draft.place.offset >= 0:
            continue
        venues = {
            d.place.country: d.place
            for d in drafts
            if d.trigger.event_type in {"AGREE", "CONSULT"}
            and d.place is not None
            and d.place.offset >= 0  # a venue read from its sentence, not a seat
            and (other := day(d)) is not None
            and abs((other - when).days) <= 1
        }
        if len(venues) == 1:
            draft.place = next(iter(venues.values()))


def _with_origin(actor: Actor | None, sentence: str) -> Actor | None:
    """An armed group of unknown country takes the country the sentence says attackers came from."""
    if actor is None or actor.country is not None or not ATTACKER_HEADS.search(actor.head):
        return actor
    return replace(actor, country=origin_country(sentence))


def _focus_country(text: str) -> str | None:
    """The country an article is about: the one it names most often by name (the country table's)."""
    return most_named_country(text)


# Every country name of the table in one pattern (longest first), so an article is read once.
_NAME_RX = re.compile(r"\b(" + words_pattern(NAMES) + r")\b")


def _named_countries(text: str) -> list[str]:
    """The countries an article names by name, most named first (the parties of "each other")."""
    tally: dict[str, int] = {}
    for m in _NAME_RX.finditer(text.lower()):
        code = NAMES[m.group(1)]
        tally[code] = tally.get(code, 0) + 1
    return sorted(tally, key=lambda c: -tally[c])


_COUNTRY_NAMES = {code: name.title() for name, code in reversed(list(NAMES.items()))}
# Two parties as one subject: what they pledge to each other is an agreement ("both sides pledged").
_JOINT_SUBJECT = re.compile(
    r"(?:\b(?i:both|the two)\s+(?:sides|nations|countries|parties|governments|leaders|delegations|states)"
    r"|\b[A-Z][\w’'-]+\s+and\s+[A-Z][\w’'-]+)\s+(?:have\s+|had\s+|also\s+|formally\s+|jointly\s+){0,2}$"
)
_ANNOUNCER = re.compile(r"^\W{0,3}\s*(?:has |had |also )?(?:announced|confirmed|said|stated)\b")


def _announces_joint(sentence: str, actor: Actor) -> bool:
    """Whether `actor` only announces what two parties, named jointly after it, agreed ("The
    mediator announced the deal, confirming that both nations had pledged to halt the fighting")."""
    if not _ANNOUNCER.match(actor.sentence_after):
        return False
    rest = sentence[actor.stop :]
    return any(m.start() > 0 for m in _JOINT_PARTIES.finditer(rest))


_JOINT_PARTIES = re.compile(
    r"\b(?i:both|the two)\s+(?:sides|nations|countries|parties|governments|leaders|delegations|states)\b"
)
# Accusations both ways in one sentence.
# A speaker named by an acronym the article spelled out before ("the Border Service (BSK) ... the BSK said").
_ACRONYM_SPEAKER = re.compile(
    r"\b([A-Z]{2,6})\b(?=\s+(?:has |had |also )?(?:said|says|stated|reported|added|noted|claimed|announced"
    r"|confirmed|accused|blamed|urged|called|demanded|condemned|warned)\b)"
)


def _acronym_speakers(text: str, sentence: str, start: int, actors: list[Actor]) -> list[Actor]:
    """The actors behind acronyms that speak in `sentence`, read from where the article first wrote
    "<name> (<ACRONYM>)" before it; only where the sentence names no actor at that spot."""
    found = []
    for m in _ACRONYM_SPEAKER.finditer(sentence):
        if any(a.start <= m.start(1) < a.stop for a in actors):
            continue
        spelled = text.find(f"({m.group(1)})", 0, start)
        if spelled < 0:
            continue
        before = text[max(0, spelled - 100) : spelled]
        named = [a for a in find_actors(before, []) if a.country and a.stop >= len(before.rstrip()) - 1]
        if named:
            found.append(
                replace(
                    named[-1],
                    start=m.start(1),
                    stop=m.end(1),
                    sentence_before=sentence[max(0, m.start(1) - 60) : m.start(1)],
                    sentence_after=sentence[m.end(1) : m.end(1) + 60],
                )
            )
    return found


# Statements about an act: undated, they take the day of the act they name ("blamed for Sunday's raid").
_ABOUT_AN_ACT = {"ACCUSE", "REJECT"}
_DEATH_WORD = re.compile(r"(?:dead|die[sd]?|dying|deaths?|lost their lives|casualt\w+)", re.I)
_ATTACK_WORD = re.compile(
    r"\b(?:attack\w*|assault\w*|strikes?|struck|shell\w*|drones?|uavs?|missiles?|rockets?|artillery|mortars?|"
    r"bomb\w*|gun\w*|shot|shooting|fire[ds]?|firing|clash\w*|fighting|battle\w*|ambush\w*|raids?|explosive|ied|mines?|"
    r"grenades?|militants?|insurgents?|terrorists?|gunmen|rebels?|troops|soldiers|forces|guards?|border|offensive|"
    r"operations?|hostilities|war|conflict|combat|violence|executed|murder\w*|stabbed|beheaded)\b",
    re.I,
)


def _is_bare_death(sentence: str, trig: Trigger) -> bool:
    """A death cue with no attacker, weapon or fighting anywhere in the sentence: a death is reported,
    not an act of violence ("the bodies of those who died were flown home", "the toll rose to 20")."""
    return bool(_DEATH_WORD.fullmatch(trig.words)) and not _ATTACK_WORD.search(sentence)


_RECIPROCAL = re.compile(
    r"\b(?:each other|one another|the other)\b|\btraded (?:accusations|blame|charges)"
    r"|\bmutual (?:accusations|recriminations)",
    re.I,
)
_STATEMENT_SAID = re.compile(
    r"\b(?:the|its|a) statement (?:said|added|read|noted|stated)\b|\bthe statement\b", re.I
)
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|stated|declared|announced|told|condemned|urged|called|demanded|added)\b"
)


def _named_office_holder(actor: Actor) -> bool:
    """Whether the actor is a role with its holder's name ("President Ilham Aliyev"): a person whose
    country we do not know, who is not the article's focus country's for being named in it (the
    leader of a neighbour or a host is named in every summit story)."""
    return actor.head in _ROLE_HEADS and not actor.text.lower().endswith(actor.head)


_ROLE_HEADS = {"president", "prime minister", "foreign minister", "minister", "ambassador", "envoy"}
_INSTITUTION = re.compile(
    r"ministry|foreign office|committee|border|security|service|president|government|"
    r"authorities|officials|agency|administration|leadership|office|forces|troops",
    re.I,
)
