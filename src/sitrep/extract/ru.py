"""Russian articles -> Mention, read natively (no translation): natasha for sentences, NER, lemmas and
dates; dateparser for relative days; the same cue table as English (`data/cues.tsv`, rows with lang
"ru") for event types; Cyrillic names of countries (`sitrep/data/country_names.csv`), places (the
gazetteer, with `geo/data/names.csv`) and actors (`data/actors_ru.tsv`) mapped to the canonical codes
and English actor names the English reader gives, so reports in both languages merge into one event.

Per article: split into sentences (razdel, line by line), keep those a Russian cue matches, tag each
kept sentence (natasha morphology and NER), then per sentence the event types, dates, counts, actors
and place. Undated acts take the date of the nearest earlier dated act of the same type in the
article, else the article's own day; acts of one type, date and country in one article are one
mention. Quotes stay as written, with offsets into the stored clean text.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, ClassVar

from sitrep.countries import CAPITALS, LOCAL_WORDS
from sitrep.extract.cues import prefilter, rules
from sitrep.model import Article, Gazetteer, Mention

NAME = "extract.ru.v1"
LANG = "ru"
VIOLENT = frozenset({"ASSAULT", "COERCE"})
CONFIDENCE_BASE = 0.75  # a Russian cue in a reported (not negated, not irrealis) clause
CONFIDENCE_NO_OWN_DATE = 0.2
CONFIDENCE_NO_PLACE = 0.1

_MONTHS: dict[str, int] = {}


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("sitrep.extract").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@functools.cache
def months() -> dict[str, int]:
    """Russian month words (genitive and nominative) -> 1..12, from data/months.tsv."""
    return {row["name"]: int(row["month"]) for row in _data("months.tsv") if row["lang"] == LANG}


@functools.cache
def numbers() -> dict[str, int]:
    """Number-word lemmas -> counts, from data/numbers.tsv."""
    return {row["lemma"]: int(row["value"]) for row in _data("numbers.tsv") if row["lang"] == LANG}


@dataclass(frozen=True)
class ActorRule:
    pattern: re.Pattern[str]
    actor: str
    country: str | None  # None: from the country words beside it; "-": never one
    kind: str


@functools.cache
def actor_rules() -> tuple[ActorRule, ...]:
    return tuple(
        ActorRule(
            re.compile(rf"(?<!\w)(?:{row['pattern']})"), row["actor"], row["country"] or None, row["kind"]
        )
        for row in _data("actors_ru.tsv")
    )


@functools.cache
def _natasha() -> tuple[Any, Any, Any, Any]:
    """natasha's segmenter, morphology vocabulary, morphology tagger and NER tagger (loaded once)."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return Segmenter(), MorphVocab(), NewsMorphTagger(embedding), NewsNERTagger(embedding)


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `text`, line by line (a scraped line never continues a sentence)."""
    from razdel import sentenize

    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for sent in sentenize(line):
                if sent.text.strip():
                    yield offset + sent.start, offset + sent.stop
        offset += len(line) + 1


# -- one sentence, tagged -------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str
    case: str | None


@dataclass(frozen=True)
class Tagged:
    text: str
    tokens: tuple[Token, ...]
    spans: tuple[tuple[int, int, str, str], ...]  # (start, end, type, normal form)


def tag(sentence: str) -> Tagged:
    """natasha's tokens (with lemma and case) and named entities (with normal form) of one sentence."""
    from natasha import Doc

    segmenter, vocab, morph, ner = _natasha()
    doc = Doc(sentence)
    doc.segment(segmenter)
    doc.tag_morph(morph)
    doc.tag_ner(ner)
    tokens = []
    for tok in doc.tokens:
        tok.lemmatize(vocab)
        tokens.append(
            Token(tok.start, tok.stop, tok.text, (tok.lemma or tok.text).lower(), tok.feats.get("Case"))
        )
    spans = []
    for span in doc.spans:
        span.normalize(vocab)
        spans.append((span.start, span.stop, span.type, span.normal or span.text))
    return Tagged(sentence, tuple(tokens), tuple(spans))


# -- countries ------------------------------------------------------------------------------------

_ORIGIN = re.compile(
    r"(?:с\s+(?:\w+\s+)?территори\w+|со\s+сторон\w+|из|с|со|с\s+сопредельн\w+\s+территори\w+)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# "на границе с Афганистаном": the other side of a border, not where it happened
_PARTNER = re.compile(r"границ\w*\s+с\s+$|(?:\bс|\bсо)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_NATIONALITY = re.compile(r"(?:граждан\w*|гражданк\w*|подданн\w*|уроженц\w*|выходц\w*)\s+$", re.IGNORECASE)
_PLACE_NOUN = re.compile(
    r"[\s-]*(?:\w+\s+)?(?:территори|район|сел[аоеу]|кишлак|границ|застав|пост|област|провинци|сторон|участк|земл)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CountryWord:
    start: int
    end: int
    code: str
    kind: str
    case: str | None
    origin: bool  # "с территории Афганистана", "из афганского села": where attackers came from
    nationality: bool = False  # "граждан Китая": whose people, not where
    placed: bool = True  # a name, or an adjective of a place noun ("таджикской территории")


def country_words(tagged: Tagged) -> list[CountryWord]:
    """The country words of a sentence, by lemma (one or two tokens), in order."""
    table = LOCAL_WORDS.get(LANG, {})
    out: list[CountryWord] = []
    toks = tagged.tokens
    i = 0
    while i < len(toks):
        hit = None
        for width in (3, 2, 1):
            if i + width <= len(toks):
                key = " ".join(t.lemma for t in toks[i : i + width])
                if key in table:
                    hit = (width, table[key])
                    break
        if hit is None:
            i += 1
            continue
        width, (code, kind) = hit
        first, last = toks[i], toks[i + width - 1]
        before = tagged.text[max(0, first.start - 40) : first.start]
        origin = bool(_ORIGIN.search(before)) or bool(_PARTNER.search(before))
        nationality = bool(_NATIONALITY.search(before))
        after = tagged.text[last.end : last.end + 30]
        placed = kind != "adjective" or bool(_PLACE_NOUN.match(after))
        out.append(CountryWord(first.start, last.end, code, kind, first.case, origin, nationality, placed))
        i += width
    return out


def focus_country(text: str) -> str | None:
    """The country a Russian article names most by name (not adjective)."""
    tally: dict[str, int] = {}
    table = LOCAL_WORDS.get(LANG, {})
    for m in re.finditer(r"\w+", text):
        word = m.group().lower()
        for stem_len in range(len(word), max(3, len(word) - 3) - 1, -1):
            entry = table.get(word[:stem_len])
            if entry and entry[1] == "name":
                tally[entry[0]] = tally.get(entry[0], 0) + 1
                break
    return max(tally, key=lambda c: tally[c]) if tally else None


# -- dates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    date: dt.date
    precision: str  # day | range | month
    date_end: dt.date | None
    text: str


def _month_rx() -> re.Pattern[str]:
    names = "|".join(sorted(months(), key=len, reverse=True))
    return re.compile(
        r"(?:(?P<night>в\s+ночь\s+(?:с\s+(?P<from>\d{1,2})\s+)?на)\s+)?"
        r"(?P<day>\d{1,2})(?:\s*(?P<sep>и|-|–|—)\s*(?P<day2>\d{1,2}))?\s+"
        rf"(?P<month>{names})(?:\s+(?P<year>(?:19|20)\d\d))?(?!\w)",
        re.IGNORECASE,
    )


@functools.cache
def _date_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    numeric = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?!\d)")
    relative = re.compile(
        r"\b(?:(?:в|во)\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
        r"|позавчера|вчера|накануне|сегодня)\b",
        re.IGNORECASE,
    )
    week = re.compile(
        r"\b(?:за\s+последн\w+\s+недел\w+|в\s+течение\s+(?:прошл|последн)\w+\s+недел\w+"
        r"|на\s+прошлой\s+неделе)\b",
        re.IGNORECASE,
    )
    return _month_rx(), numeric, relative, week


def _with_year(day: int, month: int, year: str | None, ref: dt.date | None) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        if ref is None:
            return None
        when = dt.date(ref.year, month, day)
        if when > ref + dt.timedelta(days=31):  # "28 декабря" read in January is last year's
            when = dt.date(ref.year - 1, month, day)
        return when
    except ValueError:
        return None


def find_dates(sentence: str, ref: dt.date | None) -> list[DateHit]:
    """Every date a sentence states, in order: "24 декабря 2025 года", "в ночь на 24 декабря",
    "в ночь с 28 на 29 декабря" (a range), "26 и 30 ноября" (two days), "25.12.2025", and, read
    against `ref` with dateparser, "во вторник", "вчера", "накануне"; "за последнюю неделю" is the
    week before `ref`."""
    import dateparser

    month_rx, numeric, relative, week = _date_patterns()
    hits: list[DateHit] = []
    for m in month_rx.finditer(sentence):
        month = months()[m.group("month").lower()]
        second = _with_year(int(m.group("day")), month, m.group("year"), ref)
        if second is None:
            continue
        if m.group("from"):
            first = _with_year(int(m.group("from")), month, m.group("year"), ref)
            if first is not None and first < second:
                hits.append(DateHit(m.start(), m.end(), first, "range", second, m.group()))
                continue
        if m.group("day2"):
            other = _with_year(int(m.group("day2")), month, m.group("year"), ref)
            if m.group("sep") == "и":
                hits.append(DateHit(m.start(), m.end(), second, "day", None, m.group()))
                if other is not None:
                    hits.append(DateHit(m.start(), m.end(), other, "day", None, m.group()))
            elif other is not None and second < other:
                hits.append(DateHit(m.start(), m.end(), second, "range", other, m.group()))
            continue
        hits.append(DateHit(m.start(), m.end(), second, "day", None, m.group()))
    for m in numeric.finditer(sentence):
        when = (
            _with_year(int(m.group(1)), int(m.group(2)), m.group(3), ref) if int(m.group(2)) <= 12 else None
        )
        if when is not None:
            hits.append(DateHit(m.start(), m.end(), when, "day", None, m.group()))
    if ref is not None:
        base = dt.datetime.combine(ref, dt.time())
        settings: Any = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        for m in relative.finditer(sentence):
            words = m.group().lower()
            if words == "накануне":  # "the day before": dateparser has no rule for it
                when = ref - dt.timedelta(days=1)
            else:
                parsed = dateparser.parse(words, languages=[LANG], settings=settings)
                if parsed is None:
                    continue
                when = parsed.date()
                if (ref - when).days == 7:  # "в среду" in a Wednesday's paper is that day
                    when = ref
            hits.append(DateHit(m.start(), m.end(), when, "day", None, m.group()))
        for m in week.finditer(sentence):
            hits.append(DateHit(m.start(), m.end(), ref - dt.timedelta(days=7), "range", ref, m.group()))
    hits.sort(key=lambda h: h.start)
    return hits


def latest_full_date(text: str, near: dt.date | None = None) -> dt.date | None:
    """The latest day a text states, for an article without its own date: with its year, or,
    given `near` (the pipeline's estimate), a day and month placed in the year around it."""
    found = [h.date for h in find_dates(text[:20000], near) if h.date_end is None and h.text[:1].isdigit()]
    if near is not None:
        found = [d for d in found if abs((d - near).days) <= 62]
    return max(found) if found else None


# -- casualties -----------------------------------------------------------------------------------

_KILLED = re.compile(
    r"погиб\w*|убит\w*|убил\w*|убийств\w*|жертв\w*|нейтрализова\w*|ликвидирова\w*|смерт\w*", re.I
)
_INJURED = re.compile(r"ранен\w*|ранени\w*|пострадал\w*|травм\w*", re.I)
_AGGREGATE_NOUN = re.compile(r"(?:нападени|инцидент|случа|атак|вылаз|обстрел)\w*", re.I)
_NOT_COUNT_AFTER = re.compile(r"\s*(?:час|минут|км|километр|метр|год|лет|%|процент|\d)", re.I)


@dataclass(frozen=True)
class Counts:
    killed: int | None = None
    injured: int | None = None
    aggregate: bool = False


def _number_tokens(tagged: Tagged) -> list[tuple[int, int, int]]:
    """(start, end, value) of each count in a sentence: digits, or number words by lemma."""
    out = []
    months_words = months()
    toks = tagged.tokens
    for i, tok in enumerate(toks):
        value = None
        if tok.text.isdigit() and len(tok.text) <= 3:
            value = int(tok.text)
        elif tok.lemma in numbers():
            value = numbers()[tok.lemma]
        if value is None:
            continue
        nxt = toks[i + 1].text.lower() if i + 1 < len(toks) else ""
        if nxt in months_words or _NOT_COUNT_AFTER.match(tagged.text[tok.end : tok.end + 12]):
            continue  # a date or a measure, not a count of people
        out.append((tok.start, tok.end, value))
    return out


def read_casualties(tagged: Tagged) -> Counts:
    """Killed and injured in one sentence: the count nearest each cue in its clause; "два нападения"
    (a number of acts) makes the sentence a toll over several events (aggregate)."""
    nums = _number_tokens(tagged)
    text = tagged.text
    aggregate = any(v >= 2 and _AGGREGATE_NOUN.match(text, e + 1) for _, e, v in nums)

    def near(cue: re.Pattern[str]) -> int | None:
        best: tuple[tuple[int, int], int] | None = None
        for m in cue.finditer(text):
            for s, e, v in nums:
                gap = m.start() - e if e <= m.start() else s - m.end()
                between = text[min(e, m.end()) : max(s, m.start())]
                if gap < 0 or gap > 60 or re.search(r"[.;:]|,\s+(?:а|но|ещ[её])\b", between):
                    continue
                # the subject before the verb ("Двое солдат погибли") is the count, else the nearest
                rank = (0 if e <= m.start() else 1, gap)
                if best is None or rank < best[0]:
                    best = (rank, v)
            if best is not None:
                return best[1]
        return None

    return Counts(near(_KILLED), near(_INJURED), aggregate)


# -- event types ----------------------------------------------------------------------------------

_NEGATED = re.compile(r"(?:\bне|\bни)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_IRREALIS = re.compile(
    r"\b(?:может|могут|мог(?:ут|ли)?|если|возможн\w*|планиру\w*|намерен\w*|собира\w*|угроз\w*\s+повторени\w*"
    r"|предотвра\w*|не\s+допустить)\b[^.]{0,30}$",
    re.IGNORECASE,
)
# What is asked, ordered, pledged or denied after these cues is not an act that happened.
_REQUESTED = frozenset({"REQUEST", "MOBILIZE", "SUPPORT", "REJECT"})


@dataclass(frozen=True)
class Trigger:
    event_type: str
    mode: str | None
    offset: int
    words: str


def classify(sentence: str) -> list[Trigger]:
    """Every event type a Russian sentence states, at most one per type, earliest first. A cue
    right after "не" is negated; after "может", "если" it is not an act; an act named after a
    request or an order ("призвал провести расследование") is what was asked for, not done."""
    found: dict[str, Trigger] = {}
    for event_type, mode, pattern in rules(LANG):
        if event_type in found:
            continue
        for m in pattern.finditer(sentence):
            before = sentence[max(0, m.start() - 40) : m.start()]
            if _NEGATED.search(before) or _IRREALIS.search(before):
                continue
            found[event_type] = Trigger(event_type, mode, m.start(), m.group())
            break
    asks = [t.offset for t in found.values() if t.event_type in _REQUESTED]
    if asks:
        first = min(asks)
        found = {
            k: t
            for k, t in found.items()
            if t.offset <= first or t.event_type in _REQUESTED or t.event_type == "ACCUSE"
        }
    return sorted(found.values(), key=lambda t: t.offset)


_WEAPONS: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = (
    (re.compile(r"беспилот|дрон", re.I), ("drone", "Explosions/Remote violence", "Air/drone strike")),
    (
        re.compile(r"артиллер|миномет|миномёт|ракет|снаряд", re.I),
        ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ),
    (
        re.compile(r"взрывн\w+\s+устройств|фугас|мин[аыу]\b", re.I),
        ("explosives", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ),
)
_BATTLE = re.compile(r"столкновени|перестрелк|бо[йяе]\b|боев|погранич|военнослужащ|нейтрализ|ликвидир", re.I)
_CIVILIANS = re.compile(r"рабоч|граждан|сотрудник|мирн|жител", re.I)


def violent_mode(sentence: str) -> tuple[str, str, str]:
    """(mode, ACLED event type, ACLED sub-event type) from the weapon and who fought, as English does."""
    for rx, coding in _WEAPONS:
        if rx.search(sentence):
            return coding
    if _BATTLE.search(sentence) and not _CIVILIANS.search(sentence):
        return "firearms", "Battles", "Armed clash"
    return "firearms", "Violence against civilians", "Attack"


# -- actors and places ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    start: int
    end: int
    name: str
    country: str | None
    kind: str
    host: str | None = None  # an embassy's host country
    case: str | None = None  # grammatical case of its first word (Nom: the subject)


def find_actors(tagged: Tagged, words: list[CountryWord], focus: str | None) -> list[Actor]:
    """The actors a sentence names, in order, with English names and countries."""
    text = tagged.text
    out: list[Actor] = []
    taken: list[tuple[int, int]] = []
    for rule in actor_rules():
        for m in rule.pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            country, host = rule.country, None
            if country is None:
                country = _beside(words, m.start(), m.end())
                if rule.kind == "armed":
                    origin = next((w.code for w in words if w.origin), None)
                    country = country or origin
                elif country is None and rule.kind in {
                    "ministry",
                    "official",
                    "government",
                    "forces",
                    "body",
                }:
                    country = focus
            elif country == "-":
                country = None
            if rule.kind == "embassy":
                host = next((w.code for w in words if w.start > m.end() and w.code != country), None)
            out.append(
                Actor(m.start(), m.end(), rule.actor, country, rule.kind, host, _case_at(tagged, m.start()))
            )
    # a country by name in the nominative acts for itself ("Таджикистан обсуждает ...")
    for w in words:
        if (
            w.kind in {"name", "seat"}
            and w.case == "Nom"
            and not any(a < w.end and w.start < b for a, b in taken)
        ):
            out.append(Actor(w.start, w.end, _country_actor(w.code), w.code, "country", case="Nom"))
    out.sort(key=lambda a: a.start)
    return out


def _case_at(tagged: Tagged, start: int) -> str | None:
    return next((t.case for t in tagged.tokens if t.start <= start < t.end), None)


def _country_actor(code: str) -> str:
    from sitrep.countries import COUNTRY_NAMES

    return COUNTRY_NAMES.get(code, code)


def _beside(words: list[CountryWord], start: int, end: int) -> str | None:
    """The country of an actor: an adjective just before it, or a country name just after it."""
    for w in words:
        if w.kind == "adjective" and 0 <= start - w.end <= 3:
            return w.code
    for w in words:
        if 0 <= w.start - end <= 2 and w.kind in {"name", "seat"}:
            return w.code  # "МИД Таджикистана"
    for w in words:
        if 0 <= start - w.end <= 25 and w.kind == "adjective" and not w.origin:
            return w.code
    return None


@dataclass(frozen=True)
class PlaceHit:
    start: int
    text: str
    name: str
    kind: str
    country: str
    origin: bool


_ACTING_CASES = frozenset({"Nom", "Acc", "Dat", "Ins"})


def _is_seat(normal: str) -> bool:
    entry = LOCAL_WORDS.get(LANG, {}).get(normal.lower())
    return entry is not None and entry[1] == "seat"


_FINE = {"village": 4, "feature": 4, "city": 3, "admin2": 2, "admin1": 1, "country": 0}


def find_places(tagged: Tagged, gazetteer: Gazetteer | None, actors: Sequence[Actor] = ()) -> list[PlaceHit]:
    """Places the sentence's LOC (and ORG: "ГБАО") entities name, resolved by their normal form.
    A place in an actor's words ("атака Киева") is no place; one named after where attackers came
    from ("с территории села Рузваяк уезда Мохи Май") is an origin, as is the chain of names after it."""
    if gazetteer is None:
        return []
    out: list[PlaceHit] = []
    for start, end, kind, normal in tagged.spans:
        if kind not in {"LOC", "ORG"}:
            continue
        if any(a.start <= start < a.end or start <= a.start < end for a in actors if a.kind != "country"):
            continue
        if _case_at(tagged, start) in _ACTING_CASES and _is_seat(normal):
            continue  # "призвал Кабул", "Душанбе заявил": a capital standing for its state, not a place
        text = tagged.text[start:end]
        found = None
        for name in (normal, text, normal.split()[-1] if " " in normal else ""):
            if name:
                places = gazetteer.lookup(name)
                if places:
                    found = places[0]
                    break
        if found is None or found.country is None or found.kind == "country":
            continue
        before = tagged.text[max(0, start - 40) : start]
        origin = bool(_ORIGIN.search(before)) or bool(re.search(r"(?:вулусвол\w*|провинци\w*)\s+$", before))
        if out and out[-1].origin and start - (out[-1].start + len(out[-1].text)) <= 30:
            origin = True  # "... села Рузваяк уезда Мохи Май провинции Бадахшан": one origin
        out.append(PlaceHit(start, text, found.name, found.kind, found.country, origin))
    return out


# -- the coder ------------------------------------------------------------------------------------


@dataclass
class Draft:
    trigger: Trigger
    start: int
    end: int
    quote: str
    date: DateHit | None
    inherited: bool = False
    country: str | None = None
    place: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    killed: int | None = None
    injured: int | None = None
    acled: tuple[str, str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def reference_date(article: Article) -> dt.date | None:
    """The day relative dates are read against: the article's own date, else the latest full date
    its text states, else the pipeline's estimate."""
    estimated = (article.published_from or "").startswith("estimated:")
    if article.published is not None and not estimated:
        return article.published
    found = latest_full_date(article.text, article.published)
    if found is None:
        return article.published
    if article.published is not None and estimated:
        return max(found, article.published)
    return found


_SPEAKER_COLON = re.compile(r"[^:.!?]{1,60}:")
_PRONOUN = re.compile(r"\W*(?:По\s+(?:его|её|ее)\s+словам,\s*)?(Он|Она|Министр|Дипломат)\b")
_SPEECH_VENUE = re.compile(r"(?:\bв|\bво|\bна)\s+$", re.IGNORECASE)


class ArticleCoder:
    """Codes the events of one Russian article."""

    def __init__(self, article: Article, gazetteer: Gazetteer | None) -> None:
        self.article = article
        self.gazetteer = gazetteer
        self.ref = reference_date(article)
        self.focus = focus_country(article.text)
        self._sentence = ""

    def code(self) -> list[Mention]:
        text = self.article.text
        cue = prefilter(LANG)
        drafts: list[Draft] = []
        self.last_speaker: Actor | None = None
        for start, end in split_sentences(text):
            sentence = text[start:end]
            if not cue.search(sentence) or sentence.lstrip().startswith(("Фото", "Читайте также")):
                continue
            new = self.code_sentence(tag(sentence), start, end)
            drafts.extend(new)
            speakers = [d.actor1 for d in new if d.trigger.event_type not in VIOLENT and d.actor1 is not None]
            if speakers:
                self.last_speaker = speakers[0]
        self._inherit(drafts)
        return self._settle(drafts)

    def code_sentence(self, tagged: Tagged, start: int, end: int) -> list[Draft]:
        sentence = tagged.text
        self._sentence = sentence
        triggers = classify(sentence)
        if not triggers:
            return []
        words = country_words(tagged)
        actors = find_actors(tagged, words, self.focus)
        pronoun = _PRONOUN.match(sentence)
        if pronoun and self.last_speaker is not None:  # "Он заявил": the one who spoke last
            actors.insert(
                0,
                Actor(
                    pronoun.start(1),
                    pronoun.end(1),
                    self.last_speaker.name,
                    self.last_speaker.country,
                    self.last_speaker.kind,
                    self.last_speaker.host,
                    "Nom",
                ),
            )
        places = find_places(tagged, self.gazetteer, actors)
        dates = [d for d in find_dates(sentence, self.ref) if self._plausible(d)]
        counts = read_casualties(tagged)
        out: list[Draft] = []
        for trig in triggers:
            speech = [t.offset for t in triggers if t.event_type not in VIOLENT and t.offset < trig.offset]
            acts_after = [t.offset for t in triggers if t.event_type in VIOLENT and t.offset > trig.offset]
            if trig.event_type in VIOLENT:  # "осудил нападение 26 ноября": the act's date, not the speech's
                usable = [d for d in dates if not speech or d.start > max(speech)]
            elif acts_after:  # "осудил предпринятую в ночь на 29 декабря атаку": that date is the act's
                usable = [d for d in dates if d.start < trig.offset]
            else:
                usable = dates
            chosen = self._dates_for(trig, usable)
            if (
                trig.event_type in VIOLENT
                and counts.aggregate
                and not any(d.precision == "day" for d in chosen)
            ):
                continue  # "два нападения за неделю": a toll over events, not one event
            options: list[DateHit | None] = [*chosen] or [None]
            for date in options:
                draft = Draft(trig, start, end, sentence, date)
                a1, a2 = self._actors(trig, actors)
                if a2 is not None and speech and a2.case == "Nom" and a2.start < max(speech):
                    a2 = None  # who condemns the act ("Рахмон осудил атаку") was not its target
                draft.actor1, draft.actor2 = a1, a2
                if trig.event_type in VIOLENT:
                    if not counts.aggregate and len(chosen) <= 1:
                        draft.killed, draft.injured = counts.killed, counts.injured
                    draft.acled = violent_mode(sentence)
                    draft.country, draft.place = self._violence_place(words, places)
                else:
                    draft.country, draft.place = self._statement_place(trig, a1, places, sentence)
                out.append(draft)
        return out

    def _plausible(self, hit: DateHit) -> bool:
        if self.ref is None:
            return True
        return hit.date <= self.ref + dt.timedelta(days=1) and (self.ref - hit.date).days <= 400

    def _dates_for(self, trig: Trigger, dates: list[DateHit]) -> list[DateHit]:
        if not dates:
            return []
        if trig.event_type in VIOLENT:
            days = [d for d in dates if d.precision == "day"]
            if len(days) >= 2 and len({d.start for d in days}) == 1:
                return days  # "26 и 30 ноября": both attacks
        best = min(
            dates,
            key=lambda d: (
                d.text[:1].isalpha()
                and not d.text[:1].isdigit()
                and d.text.lower().startswith(
                    ("в ", "во ", "вчера", "позавчера", "накануне", "сегодня", "за ", "на ")
                )
                and not any(ch.isdigit() for ch in d.text),
                abs(d.start - trig.offset),
            ),
        )
        return [best]

    def _actors(self, trig: Trigger, actors: list[Actor]) -> tuple[Actor | None, Actor | None]:
        if not actors:
            return None, None
        if trig.event_type in VIOLENT:
            armed = [a for a in actors if a.kind == "armed"]
            others = [a for a in actors if a.kind != "armed"]
            a1 = armed[0] if armed else None
            a2 = next((a for a in others if a1 is None or a.country != a1.country), None)
            return a1, a2
        before = [a for a in actors if a.start < trig.offset]
        colon = _SPEAKER_COLON.match(self._sentence)
        if colon:  # "ГКНБ: ...": the one quoted
            named = [a for a in before if a.end <= colon.end()]
            if named:
                before = named[-1:]
        subjects = [a for a in before if a.case == "Nom"]
        a1 = subjects[-1] if subjects else (before[-1] if before else actors[0])
        a2 = next((a for a in actors if a is not a1 and a.start > a1.start and a.country != a1.country), None)
        return a1, a2

    def _violence_place(
        self, words: list[CountryWord], places: list[PlaceHit]
    ) -> tuple[str | None, str | None]:
        """Where an act of violence happened: the finest place it names that is not where the
        attackers came from; else a country it names as a place (not an origin, not a nationality)."""
        origins = {w.code for w in words if w.origin}
        own = [p for p in places if not p.origin and p.country not in origins]
        if own:
            best = max(own, key=lambda p: _FINE.get(p.kind, 0))
            same = sorted((p for p in own if p.country == best.country), key=lambda p: -_FINE.get(p.kind, 0))
            return best.country, ", ".join(dict.fromkeys(p.name for p in same))
        for w in words:
            placed = w.kind in {"name", "adjective"} and w.placed and not w.nationality
            if placed and not w.origin and w.code not in origins:
                return w.code, None
        return None, None

    def _statement_place(
        self, trig: Trigger, a1: Actor | None, places: list[PlaceHit], sentence: str
    ) -> tuple[str | None, str | None]:
        # a venue is named before the statement ("на заседании в Нью-Йорке он осудил"); a place after
        # it is what the statement is about ("осудил атаку в Новгородской области")
        venues = [
            p
            for p in places
            if p.kind in {"city", "admin1"}
            and p.start < trig.offset
            and _SPEECH_VENUE.search(sentence[: p.start])
        ]
        if venues and trig.event_type != "MOBILIZE":
            return venues[0].country, venues[0].name
        if a1 is None or a1.country is None:
            return None, None
        country = a1.host if a1.kind == "embassy" and a1.host else a1.country
        return country, CAPITALS.get(country)

    def _inherit(self, drafts: list[Draft]) -> None:
        """An undated act takes the date of the nearest dated act of its type in the article, the
        last one before it if any, else the first after it (a headline before the story's body);
        an unplaced one takes that act's place too."""
        dated = [d for d in drafts if d.date is not None]
        for i, d in enumerate(drafts):
            if d.date is not None:
                continue
            same = [e for e in dated if e.trigger.event_type == d.trigger.event_type]
            before = [e for e in same if drafts.index(e) < i]
            donor = before[-1] if before else (same[0] if same else None)
            if donor is None:
                continue
            d.date, d.inherited = donor.date, True
            if d.place is None and (d.country is None or d.trigger.event_type in VIOLENT):
                d.country, d.place = donor.country, donor.place

    def _settle(self, drafts: list[Draft]) -> list[Mention]:
        violent_countries = [d.country for d in drafts if d.trigger.event_type in VIOLENT and d.country]
        default = (
            max(set(violent_countries), key=violent_countries.count) if violent_countries else self.focus
        )
        groups: dict[tuple[str, dt.date | None, str | None], list[Draft]] = {}
        for d in drafts:
            if d.trigger.event_type in VIOLENT and d.country is None:
                d.country = default
            when = d.date.date if d.date else None
            groups.setdefault((d.trigger.event_type, when, d.country), []).append(d)
        mentions = [self._mention(members) for members in groups.values()]
        seen: set[str] = set()
        out = []
        for m in mentions:
            if m.mention_id in seen:
                m = Mention(**{**m.__dict__, "mention_id": f"{m.mention_id}:{m.date}"})
            seen.add(m.mention_id)
            out.append(m)
        return out

    def _mention(self, members: list[Draft]) -> Mention:
        def richness(d: Draft) -> tuple[int, int]:
            has = (d.date is not None and not d.inherited) + (d.killed is not None) + (d.place is not None)
            return (-has, d.start)

        best = min(members, key=richness)
        event_type = best.trigger.event_type
        killed = max((d.killed for d in members if d.killed is not None), default=None)
        injured = max((d.injured for d in members if d.injured is not None), default=None)
        a1 = next((d.actor1 for d in [best, *members] if d.actor1 is not None), None)
        a2 = next((d.actor2 for d in [best, *members] if d.actor2 is not None), None)
        place = next((d.place for d in [best, *members] if d.place), None)
        date = best.date
        own_date = date is not None and not best.inherited
        confidence = (
            CONFIDENCE_BASE
            - (0 if own_date else CONFIDENCE_NO_OWN_DATE)
            - (0 if place else CONFIDENCE_NO_PLACE)
        )
        when, precision, until = (
            (date.date, date.precision, date.date_end) if date else (self.ref, "day", None)
        )
        acled = best.acled if event_type in VIOLENT or killed or injured else None
        return Mention(
            mention_id=f"{self.article.article_id}:{best.start}:{event_type}",
            article_id=self.article.article_id,
            event_type=event_type,
            quote=best.quote,
            start=best.start,
            end=best.end,
            mode=acled[0] if acled else best.trigger.mode,
            acled_event_type=acled[1] if acled else None,
            acled_sub_event_type=acled[2] if acled else None,
            date=when,
            date_precision=precision,  # type: ignore[arg-type]
            date_end=until,
            date_text=date.text if own_date and date else None,
            country=best.country,
            place_text=place,
            actor1=a1.name if a1 else None,
            actor1_country=a1.country if a1 else None,
            actor2=a2.name if a2 else None,
            actor2_country=a2.country if a2 else None,
            killed=killed,
            injured=injured,
            confidence=round(max(0.05, confidence), 2),
            extractor=NAME,
        )


@dataclass(frozen=True)
class RussianEvents:
    """Article (Russian) -> Mention, by the rules above."""

    name: ClassVar[str] = NAME
    gazetteer: Gazetteer | None = None

    def __call__(self, articles: Iterable[Article]) -> Iterator[Mention]:
        for article in articles:
            if article.text.strip():
                yield from ArticleCoder(article, self.gazetteer).code()
