"""Read killed and injured counts from one sentence: number words, component sums, "a dozen".

Numbers are first turned into digits by text2num (`alpha2digit`, threshold 0 so "one" and "two"
convert too); then each number is tied to the casualty word that follows it ("3 workers were
killed") or precedes it ("killing 2 guards", "the deaths of 3 insurgents and 2 guards"). Numbers
joined by "and" or commas before one casualty word are summed; a range ("seven to eight", "20 or
25") counts its lower end, as a toll that means "at least" does. "Casualties" with a number is the
dead where the sentence names no other casualty word ("the clashes left 40 casualties"); beside
"killed" or "wounded" it is the sum of both and counts nothing. "Dozens" states no number. Ages,
years, distances, times and populations are never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

_KILLED = re.compile(
    r"^(?:killed|dead|died|dies|killing|deaths?|neutrali[sz]ed|perished|slain|lost their lives|lives)$", re.I
)
# "40 casualties": the dead, unless the sentence tells the dead from the wounded (then both together)
_CASUALTIES = re.compile(r"^casualties$", re.I)
# What joins the parts of one toll ("three insurgents and two guards", "2 soldiers, 3 civilians").
_JOINED = re.compile(r"\band\b|,|&|\bplus\b", re.I)
# The upper end of a range ("7 to 8", "20 or 25"): the lower end is the count.
_RANGE_BEFORE = re.compile(r"\d\s+(?:to|or)\s+$|\bbetween\s+\d+\s+and\s+$", re.I)
_INJURED = re.compile(r"^(?:injured|wounded|injuries|injuring|wounding|hurt|injury)$", re.I)
# "killing 3", "the deaths of 3", "neutralised 3", "lost 2 guards"
_LEADING = re.compile(
    r"\b(?P<word>killing|killed|deaths? of|death toll (?:rose |rises )?to|neutrali[sz](?:ed|ing)|lost"
    r"|wounding|injuring|injured|wounded)\s+(?:all\s+|at least\s+|some\s+|about\s+|nearly\s+)?(?P<n>\d+)\b",
    re.I,
)
# A number followed by one of these is not a head count.
_NOT_COUNT = re.compile(
    r"^[\s-]*(?:km|kms|kilomet|miles?|mi\b|metres?|meters?"
    r"|m\b|%|percent|per cent|million|mln|mn\b|billion|bn\b"
    r"|thousand|years?|year-old|-year|hours?|minutes?|days?|weeks?|months?|p\.?m|a\.?m|tons?|tonnes|kg|rifles?"
    r"|pistols?|grenades?|drones?|outposts?|posts|sides|countries|nations|neighbou?rs|states|provinces"
    r"|districts|villages|m-16|ak-47|:\d|th\b|st\b|nd\b|rd\b"
    r"|(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)",  # "24 December": a day
    re.I,
)
_AGGREGATE = re.compile(
    r"\b(?:two|both|2|several|series of|multiple|separate|previous|recent)\s+(?:\w+\s+){0,2}"
    r"(?:attacks|incidents|clashes|assaults)\b|\battacks\b.{0,60}\b(?:past|last) (?:week|month)\b"
    r"|\b(?:past|last) (?:week|month)\b.{0,60}\battacks\b|\b(?:a|the) pair of\b",
    re.I,
)
# Words that open a part of a toll already counted ("10 people, including 2 children").
_SUBSET = re.compile(r"\b(?:including|includes|among them|among whom|of whom|of them|most of)\b", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I)
_TOKEN = re.compile(r"\d[\d,]*|[A-Za-z][\w'-]*|[^\s\w]")


# A casualty word more than _NEAR words after its number belongs to no number, unless it is the
# passive verb of the number's own long subject ("two soldiers of the ... brigade were killed"),
# read up to _FAR words away when no clause boundary comes between.
_NEAR = 10
_FAR = 16
_PASSIVE = frozenset({"was", "were", "been"})
# Words that open another clause: numbers on either side of one are not summed, and a long subject
# does not reach its verb across one.
_CLAUSE_WORDS = frozenset(
    {"said", "says", "told", "reported", "while", "but", "when", "after", "which", "who", "that", "where"}
)
_CLAUSE_BREAK = _CLAUSE_WORDS | {",", ":", "("}
# A report that nobody was hurt: 0 killed, 0 injured (not "did not say if there were casualties").
_NO_CASUALTIES = re.compile(
    r"\b(?:no|not (?:yet )?(?:been )?any)\s+(?:reports? of\s+)?(?:casualties|deaths|fatalities|injuries)\b"
    r"(?!\s+(?:among|on the|of the|in the ranks))",
    re.I,
)
# Words that set another party's figures against the ones already read, when a verb of claiming
# follows ("while Kabul said 58 died"); "while 15 civilians died" adds a part of the toll instead.
_RIVAL_CLAIM = frozenset({"while", "whereas"})
_CLAIM_VERB = re.compile(
    r"^(?:said|says|claimed|claims|asserted|insisted|maintained|put|reported|stated)$", re.I
)


def _claim_follows(tokens: list[re.Match[str]], i: int) -> bool:
    """Whether a verb of claiming comes within eight words after tokens[i], before any number."""
    for tok in tokens[i + 1 : i + 9]:
        if tok.group()[0].isdigit():
            return False
        if _CLAIM_VERB.match(tok.group()):
            return True
    return False


def _passive_after_subject(tokens: list[re.Match[str]], i: int, since_number: int) -> bool:
    """True when tokens[i] follows "was"/"were"/"been" and no clause boundary or other number lies
    between it and the number `since_number` tokens back (a long subject and its passive verb)."""
    if since_number > _FAR or tokens[i - 1].group().lower() not in _PASSIVE:
        return False
    between = tokens[i - since_number + 1 : i - 1]
    return not any(t.group().lower() in _CLAUSE_BREAK or t.group()[0].isdigit() for t in between)


@dataclass(frozen=True)
class Casualties:
    """Killed and injured read from one sentence; None where the sentence gives no number."""

    killed: int | None
    injured: int | None
    is_aggregate: bool  # a toll over several events ("5 killed in two attacks")


def _digits(sentence: str) -> str:
    # "a dozen" is 12; "dozens" states no number (coders leave such a toll blank)
    text = re.sub(r"\b(?:a|one) dozen\b", "12", sentence, flags=re.I)
    text = re.sub(
        r"\b(?:million|billion|thousand)\b", "mln", text, flags=re.I
    )  # keep "3 million" off the counts
    return str(alpha2digit(text, "en", threshold=0))


def _is_count(text: str, start: int, stop: int) -> bool:
    raw = text[start:stop].replace(",", "")
    if not raw.isdigit() or len(raw) >= 4:  # 4+ digits: years, distances, populations
        return False
    before = text[max(0, start - 12) : start].lower()
    if re.search(r"(?:aged|no\.|number|post|age|of the|page)\s*$", before) or before.endswith(("-", "–")):
        return False
    if _MONTH_BEFORE.search(before):
        return False  # "Nov 28", "December 24": a day of the month
    return not _NOT_COUNT.match(text[stop : stop + 12])


def read_casualties(sentence: str) -> Casualties:
    """Killed and injured counts stated in `sentence`, summing components of one casualty phrase."""
    text = _digits(sentence)
    killed: list[int] = []
    injured: list[int] = []
    used: set[int] = set()
    for m in _LEADING.finditer(text):
        if not _is_count(text, m.start("n"), m.end("n")):
            continue
        word = m.group("word").lower()
        bucket = injured if word.startswith(("wound", "injur")) else killed
        # follow "3 insurgents and 2 guards": numbers chained by "and" / "," after the first
        pos = m.start("n")
        for chained in re.finditer(r"\d+", text[pos : pos + 80]):
            absolute = pos + chained.start()
            gap = text[pos:absolute]
            if chained.start() and not re.search(r"\b(?:and|,)\s*(?:\w+\s+){0,3}$", gap[-25:]):
                break
            if re.search(r"[.;]|\b(?:were|was|who|while|but|kill\w*|dead|died|injur\w*|wound\w*)\b", gap):
                break
            if _is_count(text, absolute, absolute + len(chained.group())) and absolute not in used:
                if not _SUBSET.search(gap):  # "killed 10 people, including 3 children": among the 10
                    bucket.append(int(chained.group()))
                used.add(absolute)
    tokens = list(_TOKEN.finditer(text))
    # the casualty words of the two tables below, not a third list of them
    casualties_are_dead = not any(_KILLED.match(t.group()) or _INJURED.match(t.group()) for t in tokens)
    pending: list[tuple[int, int]] = []  # (char offset, value) of numbers awaiting their casualty word
    since_number = 0
    clause_since = False  # a clause word came after the last pending number
    rival = False  # a contrasting clause ("while", "whereas") came after a count: another side's claim
    for i, tok in enumerate(tokens):
        word = tok.group()
        if word[0].isdigit():
            if tok.start() in used or not _is_count(text, tok.start(), tok.end()):
                continue
            if _RANGE_BEFORE.search(text[max(0, tok.start() - 20) : tok.start()]):
                continue  # "seven to eight soldiers": the lower end is the count
            if clause_since:  # "five trucks reached the town, where two drivers were killed": not 7
                pending = []
            elif pending and not _JOINED.search(text[pending[-1][0] : tok.start()]):
                pending = []  # "3 of the guards saw 40 men killed": parts of a toll are joined by "and"
            pending.append((tok.start(), int(word.replace(",", ""))))
            since_number = 0
            clause_since = False
            continue
        if word.lower() in _RIVAL_CLAIM and (killed or injured) and _claim_follows(tokens, i):
            rival = True  # "X said 23 were killed, while Y claimed 58 perished": two claims, not a sum
        if not pending:
            continue
        since_number += 1
        clause_since = clause_since or word.lower() in _CLAUSE_WORDS
        if since_number > _NEAR and not _passive_after_subject(tokens, i, since_number):
            if word in {".", ";"} or since_number > _FAR:
                pending = []
            continue
        phrase = word if word.lower() != "lost" else " ".join(t.group() for t in tokens[i : i + 3])
        dead = casualties_are_dead and bool(_CASUALTIES.match(word))
        if _KILLED.match(word) or phrase.lower() == "lost their lives" or dead:
            if not (rival and killed):
                killed.extend(v for _, v in pending)
            used.update(p for p, _ in pending)
            pending = []
        elif _INJURED.match(word):
            if not (rival and injured):
                injured.extend(v for _, v in pending)
            used.update(p for p, _ in pending)
            pending = []
        elif word in {".", ";"}:
            pending = []
    if not killed and not injured and _NO_CASUALTIES.search(sentence):
        return Casualties(0, 0, is_aggregate=False)  # "there were no reports of casualties"
    return Casualties(
        killed=sum(killed) if killed else None,
        injured=sum(injured) if injured else None,
        is_aggregate=bool(_AGGREGATE.search(sentence)),
    )
