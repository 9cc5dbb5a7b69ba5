"""Decide which PLOVER events a sentence states, one per act, with a mode and the trigger's offset.

Rules a careful coder states: a statement that blames and demands is two events (ACCUSE + REQUEST);
an embassy telling its own nationals to leave is a REQUEST (advisory); a call or meeting is CONSULT,
and a pledge made in it is also SUPPORT, a stated agreement also AGREE. Condolences and regret,
standing facts, analysts' opinions and plans ("could deploy") are not events.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from sitrep.extract.clauses import Parse, blocked
from sitrep.extract.cues import rules

VIOLENT = {"ASSAULT", "COERCE"}
SPEECH = {"ACCUSE", "REQUEST", "THREATEN", "SUPPORT", "AGREE", "REJECT", "PROTEST", "CONSULT", "COOPERATE"}


@dataclass(frozen=True)
class Trigger:
    """One event type found in a sentence, the words that triggered it and where they start."""

    event_type: str
    mode: str | None
    offset: int
    words: str


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# The cue table (data/cues.tsv), one regex per (type, mode), in the order the table gives them.
_RULES = rules("en")
_ADVISORY = next(rx for event_type, mode, rx in _RULES if (event_type, mode) == ("REQUEST", "advisory"))

# A trigger right after these is a plan, a hypothesis or a generality, not an act.
_IRREALIS = _rx(
    r"\b(?:could|would|might|may|possibility of|plans? to|planned"
    r"|intend(?:ed|s)? to|aim(?:ed|s)? to|attempt(?:ed|ing)? to"
    r"|seeking to|threat of|risk of|prevent(?:ing)?|fears? of|ahead of|in case of|avoid|if"
    r"|will|shall|(?:is|are|was|were) (?:set|scheduled|expected|due) to"  # the future: a plan
    r"|should|must"  # what ought to be, not what was
    r")\s+(?:\w+\s+){0,2}$"
    r"|\b(?:stop|stopped|prevented|barred|kept|refrain(?:ed)?) from\s+$"  # "stopped from killing"
    r"|\bto\s+$"  # an infinitive ("called on them to arrest", "vowed to attack") is not the act
)


@dataclass(frozen=True)
class NotEventRule:
    """A named rule (data/not_events.tsv) for sentences that mention an act without reporting one."""

    name: str
    scope: str  # "sentence": nothing is coded; "violent": its violent cues are not; "span": cues inside;
    # "block": a header line whose following headline lines are not read
    pattern: re.Pattern[str]
    example: str


@functools.cache
def not_event_rules() -> tuple[NotEventRule, ...]:
    """The rules of data/not_events.tsv, in file order."""
    text = resources.files("sitrep.extract").joinpath("data", "not_events.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if line and not line.startswith("#")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    return tuple(NotEventRule(r["name"], r["scope"], _rx(r["pattern"]), r["example"]) for r in rows)


def not_event_spans(sentence: str) -> list[tuple[int, int]]:
    """The (start, stop) of each `span` rule's match in `sentence`: its group "act" where the rule
    names one (the words around it only say when the act is no event of its own), else all it matched."""
    return [
        m.span("act") if "act" in r.pattern.groupindex else m.span()
        for r in not_event_rules()
        if r.scope == "span"
        for m in r.pattern.finditer(sentence)
    ]


_HEADLINE_END = re.compile(r"[.!?…][\"”’)]*\s*$")


def headline_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of other stories' headlines: the lines after a "block" rule's
    header line ("ALSO READ"), up to the first line that ends like a sentence (headlines do not)."""
    blocks = []
    for rule in not_event_rules():
        if rule.scope != "block":
            continue
        for m in re.finditer(rule.pattern.pattern, text, re.IGNORECASE | re.MULTILINE):
            end = m.end()
            for line in re.finditer(r"[^\n]*\n?", text[m.end() :]):
                if not line.group():
                    break
                if line.group().strip() and _HEADLINE_END.search(line.group().strip()):
                    break
                end = m.end() + line.end()
            blocks.append((m.start(), end))
    return blocks


def not_event(sentence: str, scope: str) -> str | None:
    """The name of the first rule of `scope` that `sentence` falls under, if any."""
    return next((r.name for r in not_event_rules() if r.scope == scope and r.pattern.search(sentence)), None)


_CONDOLENCE_ONLY = _rx(r"\b(?:condolences|regret|sorrow|sympath|solidarity)\b")


def classify(sentence: str, parse: Parse | None = None) -> list[Trigger]:
    """Every event type `sentence` states, at most one per type, earliest trigger first.

    With `parse` (the sentence's dependency parse, clauses.py), a cue that is negated, denied,
    modal, hypothetical or subordinate to another cue's act is not coded.
    """
    if not_event(sentence, "sentence"):
        return []
    found: dict[str, Trigger] = {}
    spans = not_event_spans(sentence)
    for event_type, mode, pattern in _RULES:
        if event_type in found:
            continue
        for m in pattern.finditer(sentence):
            if _IRREALIS.search(sentence[max(0, m.start() - 40) : m.start()]):
                continue
            if any(a <= m.start() < b for a, b in spans):
                continue  # "days of clashes": a period's tally, not one act
            if parse is not None and blocked(parse, m.start(), event_type):
                continue
            found[event_type] = Trigger(event_type, mode, m.start(), m.group())
            break
    threat, pledge = found.get("THREATEN"), found.get("SUPPORT")
    if threat and pledge and threat.offset <= pledge.offset < threat.offset + len(threat.words):
        del found["SUPPORT"]  # "pledged to retaliate": a vow of retaliation is a threat, not support
    if parse is not None:
        offsets = [t.offset for t in found.values()]
        for event_type, trig in list(found.items()):
            others = [o for o in offsets if o != trig.offset]
            if blocked(parse, trig.offset, event_type, others) == "subordinate":
                del found[event_type]
    call = found.get("CONSULT")
    if call is not None and call.mode == "phone" and "ACCUSE" in found:
        del found["ACCUSE"]  # "condemned the raid in a call with his counterpart": said in the call, one act
    if "REQUEST" in found and found["REQUEST"].mode == "statement":
        # "urged its citizens to leave" is the advisory; keep the demand only if it names someone else
        advisory = _ADVISORY.search(sentence)
        if advisory and advisory.start() <= found["REQUEST"].offset + 5:
            found["REQUEST"] = Trigger("REQUEST", "advisory", advisory.start(), advisory.group())
    if not_event(sentence, "violent"):
        for event_type in VIOLENT & set(found):
            del found[event_type]
    if "ASSAULT" in found and set(found) - {"ASSAULT"} and not _has_act_of_violence(sentence):
        del found["ASSAULT"]
    if (
        "ACCUSE" in found
        and _CONDOLENCE_ONLY.search(sentence)
        and found["ACCUSE"].words.lower() in {"condolences"}
    ):
        del found["ACCUSE"]
    return sorted(found.values(), key=lambda t: t.offset)


def _has_act_of_violence(sentence: str) -> bool:
    """Whether a sentence that mainly reports a statement also states the attack itself (count, date)."""
    return bool(
        re.search(
            r"\b(?:killed|killing|dead|died|deaths|injured|wounded|struck|clash\w*|neutrali[sz]ed)\b",
            sentence,
            re.I,
        )
        or re.search(r"\b(?:launched|carried out|staged)\b[^.]{0,30}\battack", sentence, re.I)
        or re.search(
            r"\battack\w*\b[^.]{0,40}\b(?:on|in|at)\s+(?:the night of\s+)?(?:[A-Z]\w+day|[A-Z][a-z]+ \d)",
            sentence,
        )
    )


def violent_mode(sentence: str) -> tuple[str, str, str]:
    """(mode, ACLED event type, ACLED sub-event type) from the weapon and the target named in `sentence`."""
    low = sentence.lower()
    if re.search(r"drone|uav|unmanned|air ?strike", low):
        return "drone", "Explosions/Remote violence", "Air/drone strike"
    if re.search(r"shell|artillery|mortar|missile|rocket", low):
        return "shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"
    if re.search(r"\bied\b|roadside bomb|landmine|mine explosion|explosive device", low):
        return "explosives", "Explosions/Remote violence", "Remote explosive/landmine/IED"
    if re.search(r"suicide", low):
        return "suicide bomb", "Explosions/Remote violence", "Suicide bomb"
    if re.search(
        r"clash|firefight|gun ?(?:battle|fight)|exchange(?:d)? (?:of )?fire|shootout|surrender"
        r"|border guards|troops|forces|soldiers|officers",
        low,
    ) and not re.search(r"workers|civilians|employees", low):
        return "firearms", "Battles", "Armed clash"
    if re.search(r"abduct|kidnap", low):
        return "abduction", "Violence against civilians", "Abduction/forced disappearance"
    return "firearms", "Violence against civilians", "Attack"
