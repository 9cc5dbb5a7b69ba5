"""Decide which PLOVER events a sentence states, one per act, with a mode and the trigger's offset.

Rules a careful coder states: a statement that blames and demands is two events (ACCUSE + REQUEST);
an embassy telling its own nationals to leave is a REQUEST (advisory); a call or meeting is CONSULT,
and a pledge made in it is also SUPPORT, a stated agreement also AGREE. Condolences and regret,
standing facts, analysts' opinions and plans ("could deploy") are not events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_RULES: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    (
        "ASSAULT",
        None,
        _rx(
            r"\b(?:killed|killing|kills|dead\b|died|deaths?\b"
            r"|attack(?:ed|s)?\b|clash(?:ed|es)?\b|firefight|gun ?battle"
            r"|shootout|exchange of fire|drone strike|struck\b"
            r"|assault\b|incursion|neutrali[sz]ed|ambush(?:ed)?"
            r"|shell(?:ed|ing)|bomb(?:ing|ed)|opened fire|lost"
            r" their lives|infiltrat(?:ed|ion)|gunfire|casualties)"
        ),
    ),
    ("COERCE", "arrest", _rx(r"\b(?:arrested|detained|captured|abducted|kidnapped)\b")),
    (
        "ACCUSE",
        "statement",
        _rx(
            r"\b(?:condemn(?:ed|s|ing)?|blam(?:ed|es|ing)|accus(?:ed|es|ing)|critici[sz](?:ed|es|ing)|denounc(?:ed|es)"
            r"|(?:said|says|claimed|alleged)\s+(?:that\s+)?[^.]{0,60}\b(?:had"
            r" |has )?(?:launched|carried out|staged"
            r"|orchestrated) (?:an? |the )?(?:\w+ )?(?:attack|strike|assault)|(?:were|was|are|is)"
            r" responsible for|labell?ed the attack|irresponsib\w+|(?:failure|inability) to fulfil"
            r"|destructive actions by|called the incident"
            r"|(?:groups?|individuals|elements|circles|forces|those)\b[^.]{0,40}\b(?:seeking|sought|seek"
            r"|intent on|aiming|aimed|trying) to (?:create|creating|sow|sowing|destabili[sz]e|undermine))"
        ),
    ),
    (
        "REQUEST",
        "statement",
        _rx(
            r"\b(?:urg(?:ed|es|ing)|call(?:ed|s|ing)? (?:on|for|upon)|demand(?:ed|s|ing)?|press(?:ed)? for"
            r"|asked\b|expects? an apology|expected an apology|(?:hope"
            r"|hoped|hopes|expressed hope)\b.{0,40}\bapologi[sz]e"
            r"|must take)"
        ),
    ),
    (
        "REQUEST",
        "advisory",
        _rx(
            r"\b(?:advis(?:ed|es|ing)|told|caution(?:ed|s)|remind(?:ed|s|ing)|warn(?:ed|s|ing)|urged)\b[^.]{0,60}"
            r"\b(?:citizens|nationals|companies|personnel|enterprises|workers|staff)\b[^.]{0,80}"
            r"\b(?:leave|evacuat\w*|avoid|against)\b|\bare urged to leave\b|\bordered evacuations\b"
        ),
    ),
    (
        "THREATEN",
        "statement",
        _rx(
            r"\b(?:will|would) (?:respond decisively|retaliate"
            r"|defend its|continue to defend)|\bthreaten(?:ed|s)\b"
        ),
    ),
    (
        "CONSULT",
        "phone",
        _rx(
            r"\b(?:phone (?:call|conversation|talks)|telephone"
            r" (?:call|conversation)|telephonic|telecon(?:ference)?"
            r"|spoken with|spoke with|spoke by phone|contacted|talks? by phone|dials?\b"
            r"|(?:told|assured|informed) (?:his|her) (?:\w+ )?counterpart)"
        ),
    ),
    ("CONSULT", "visit", _rx(r"\b(?:visit to|visited|visiting|during a visit)\b")),
    (
        "CONSULT",
        "meeting",
        _rx(
            r"\b(?:met with|meeting with|in a meeting|attend a meeting"
            r"|held talks|held meetings|convened\b[^.]{0,30}meeting"
            r"|security meeting|instrumental in deescalating|mediat(?:ed|ion))\b"
        ),
    ),
    ("CONSULT", "negotiation", _rx(r"\b(?:in talks with|negotiating with|negotiations with|talks with)\b")),
    (
        "SUPPORT",
        "pledge",
        _rx(
            r"\b(?:pledg(?:ed|es|ing)|(?:ready|prepared|open|willing)"
            r" (?:to|for) (?:\w+ ){0,2}(?:cooperat|help|assist"
            r"|strengthen|tighten|boost|bolster|secure|conduct"
            r"|coordinat|work)|stands ready|(?:would|will) (?:fully )?"
            r"(?:cooperate|coordinate|assist|help)|reassure|assured"
            r"|committed to|supports increased"
            r"|(?:dialogue|engagement) (?:with [\w ]+ )?must continue|readiness to)"
        ),
    ),
    (
        "AGREE",
        "statement",
        _rx(
            r"\b(?:agreed to|agreed on|sides agreed|signed an? (?:\w+ )?(?:agreement|deal|memorandum)"
            r"|reached an? (?:\w+ )?agreement)"
        ),
    ),
    (
        "COOPERATE",
        "statement",
        _rx(
            r"\b(?:launched (?:a |an )?[\"“]?(?:serious |joint |full"
            r" )?investigation|investigation [\w ]{0,30}has begun"
            r"|formally recogni[sz]ed|recogni[sz]ed the taliban)"
        ),
    ),
    (
        "MOBILIZE",
        "order",
        _rx(
            r"\b(?:inaugurat(?:ed|es)|deployed (?:\w+ ){0,2}(?:troops|forces|soldiers|units|personnel|guards"
            r"|reinforcements|police|officers|battalions?)|ordered\b[^.]{0,60}(?:border|security|measures|review|controls)"
            r"|ordering\b[^.]{0,40}(?:border|security)|instruct(?:ed|s|ing)? security|directed officials"
            r"|strengthened border security|held (?:joint"
            r" )?(?:military )?(?:exercises|drills)|beef up security)"
        ),
    ),
    (
        "REJECT",
        "statement",
        _rx(r"\bdenied (?:any )?(?:involvement|responsibility|the (?:claim|accusation|report)s?)"),
    ),
    (
        "PROTEST",
        "statement",
        _rx(r"\b(?:summoned (?:the|its) (?:\w+ )?(?:ambassador|envoy|charg)|protest(?:ed|s) (?:to|against))"),
    ),
    (
        "SANCTION",
        "statement",
        _rx(r"\b(?:imposed sanctions|closed (?:the|its) border|suspended (?:trade|flights))"),
    ),
    (
        "AID",
        "material",
        _rx(r"\b(?:delivered|sent|provided) (?:\w+ ){0,2}(?:aid|assistance|equipment|weapons)\b"),
    ),
    ("RETREAT", None, _rx(r"\b(?:withdrew|pulled out|released (?:the )?(?:hostages|prisoners|detainees))\b")),
    ("CONCEDE", None, _rx(r"\b(?:apologi[sz]ed|handed over)\b")),
)

# A trigger right after these is a plan, a hypothesis or a generality, not an act.
_IRREALIS = _rx(
    r"\b(?:could|would|might|may|possibility of|plans? to|planned"
    r"|intend(?:ed|s)? to|aim(?:ed|s)? to|attempt(?:ed|ing)? to"
    r"|seeking to|threat of|risk of|prevent(?:ing)?|fear(?:s)?"
    r" of|ahead of|in case of|avoid|if)\s+(?:\w+\s+){0,2}$"
)
# Sentences that report opinion, background facts or page furniture rather than acts.
_NOT_EVENT = _rx(
    r"^(?:read more|related|also read|tags?:|photo:|file photo)|\banalysts?\b|\bexperts? (?:say|said|believe)"
    r"|\bis known to\b|\bhas long\b|\bmaintains? (?:close"
    r"|tense)\b|\bhas been concerned\b|\bsince (?:19|20)\d\d\b"
)
_CONDOLENCE_ONLY = _rx(r"\b(?:condolences|regret|sorrow|sympath|solidarity)\b")


def classify(sentence: str) -> list[Trigger]:
    """Every event type `sentence` states, at most one per type, earliest trigger first."""
    if _NOT_EVENT.search(sentence):
        return []
    found: dict[str, Trigger] = {}
    for event_type, mode, pattern in _RULES:
        if event_type in found:
            continue
        for m in pattern.finditer(sentence):
            if _IRREALIS.search(sentence[max(0, m.start() - 40) : m.start()]):
                continue
            found[event_type] = Trigger(event_type, mode, m.start(), m.group())
            break
    if "REQUEST" in found and found["REQUEST"].mode == "statement":
        # "urged its citizens to leave" is the advisory; keep the demand only if it names someone else
        advisory = _RULES[4][2].search(sentence)
        if advisory and advisory.start() <= found["REQUEST"].offset + 5:
            found["REQUEST"] = Trigger("REQUEST", "advisory", advisory.start(), advisory.group())
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
