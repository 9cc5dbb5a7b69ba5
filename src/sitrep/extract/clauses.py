"""Clause structure of a candidate sentence, from spaCy's dependency parse, and what it says about a cue.

Only sentences that pass the cue prefilter are parsed (nlp.py), so the parser's cost is paid on the
few sentences that may state an act. The parse is copied into a small model-free structure
(`Parse`) so the rules below are pure functions that tests can drive with a hand-written parse.

Rules (each named; `blocked` returns the first that applies to a cue):
- negated: the act's verb, or the cue noun, is negated ("had not carried out any strike", "no attack").
- denied: the act is the content of a denial ("denied that its jets had bombed the camp"); the
  denial itself is coded by its own cue (REJECT), the act is not.
- modal: the act's verb has a modal or future auxiliary ("will meet", "could attack"): a plan or a
  possibility, not an act. Threats, pledges and demands are statements about the future by nature
  and are exempt.
- hypothetical: the act sits in an "if"/"unless" clause.
- subordinate: the cue is a background "amid" phrase hanging off another cue's verb ("crossed the
  border amid clashes"): the main act wins. (A participle after a call - "spoke by phone, urging
  calm" - is not dropped: the corpora's coders code what is said in a call as its own act.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tok:
    """One token of a parse: character offset in the sentence, words, tag, dependency and head."""

    idx: int
    text: str
    tag: str
    dep: str
    head: int  # index of the head token (itself for the root)

    @property
    def lower(self) -> str:
        return self.text.lower()


Parse = tuple[Tok, ...]

_MODALS = frozenset({"will", "would", "could", "might", "may", "shall", "should", "'ll", "wo", "ca", "can"})
_DENIALS = frozenset(
    {
        "deny",
        "denies",
        "denied",
        "denying",
        "reject",
        "rejects",
        "rejected",
        "rejecting",
        "refuted",
        "dismissed",
    }
)
_NEGATORS = frozenset({"no", "never"})
_HYPOTHETICAL = frozenset({"if", "unless"})
_BACKGROUND = frozenset({"amid", "amidst"})
# Words that report an act's toll, not the act: negated, they mean a count of zero.
_OUTCOMES = frozenset(
    {"casualties", "casualty", "deaths", "death", "dead", "killed", "died", "injuries", "injured", "wounded"}
)
# Verbs whose negation negates the act named by their object ("had not carried out any strike").
_LIGHT_VERBS = frozenset(
    {"carried", "carry", "carries", "conducted", "conduct", "launched", "launch", "staged", "stage", "made",
     "was", "were", "is", "are", "been", "be", "had", "has", "have", "held", "hold"}
)  # fmt: skip
# Types whose cues state intent by nature: a threat or pledge is "will ..."; a demand "must ...".
MODAL_EXEMPT = frozenset({"THREATEN", "SUPPORT", "REQUEST"})
_MAX_HOPS = 4


def from_doc(doc: Any) -> Parse:
    """The model-free copy of a spaCy Doc's parse."""
    return tuple(Tok(t.idx, t.text, t.tag_, t.dep_, t.head.i) for t in doc)


def token_at(parse: Parse, offset: int) -> int | None:
    """Index of the token covering character `offset` (or the first token after it)."""
    for i, tok in enumerate(parse):
        if tok.idx <= offset < tok.idx + max(1, len(tok.text)):
            return i
        if tok.idx > offset:
            return i
    return None


def _children(parse: Parse, i: int) -> Iterable[int]:
    return (j for j, tok in enumerate(parse) if tok.head == i and j != i)


def _ancestors(parse: Parse, i: int) -> list[int]:
    out: list[int] = []
    while parse[i].head != i and len(out) < _MAX_HOPS:
        i = parse[i].head
        out.append(i)
    return out


def _verb_of(parse: Parse, i: int) -> int:
    """The verb a cue word belongs to: itself if a verb, else the nearest verb above it."""
    if parse[i].tag.startswith(("VB", "MD")):
        return i
    for j in _ancestors(parse, i):
        if parse[j].tag.startswith("VB"):
            return j
    return i


def blocked(parse: Parse, offset: int, event_type: str, other_offsets: Iterable[int] = ()) -> str | None:
    """The name of the clause rule that says the cue at `offset` is not a reported act, if any."""
    i = token_at(parse, offset)
    if i is None:
        return None
    if _negated(parse, i):
        return "negated"
    if event_type != "REJECT" and _denied(parse, i):
        return "denied"
    verb = _verb_of(parse, i)
    kids = [parse[j] for j in _children(parse, verb)]
    if event_type not in MODAL_EXEMPT and any(k.lower in _MODALS and k.dep == "aux" for k in kids):
        return "modal"
    if event_type != "THREATEN":
        for j in [verb, *_ancestors(parse, verb)]:
            if any(parse[k].lower in _HYPOTHETICAL and parse[k].dep == "mark" for k in _children(parse, j)):
                return "hypothetical"
    others = {k for k in (token_at(parse, o) for o in other_offsets) if k is not None and k != i}
    prep = parse[parse[i].head]
    if parse[i].dep == "pobj" and prep.lower in _BACKGROUND and prep.head in others:
        return "subordinate"
    return None


def _negated(parse: Parse, i: int) -> bool:
    """A negated act: its own verb negated, or a cue noun with "no" or under a negated act verb.

    An outcome word ("no casualties", "nobody was killed") counts nothing, it does not undo the act;
    a noun under a negated reporting verb ("did not confirm the strikes") is unconfirmed, not denied.
    """
    tok = parse[i]
    if tok.lower in _OUTCOMES:
        return False
    if tok.tag.startswith("VB"):
        return any(parse[j].dep == "neg" for j in _children(parse, i))
    if any(parse[j].lower in _NEGATORS for j in _children(parse, i)):
        return True
    verb = _verb_of(parse, i)
    return parse[verb].lower in _LIGHT_VERBS and any(parse[j].dep == "neg" for j in _children(parse, verb))


def _denied(parse: Parse, i: int) -> bool:
    """The act is what a denial denies: its object ("denied the attack") or its clause ("denied that ...")."""
    if parse[i].dep in {"dobj", "pobj"} and parse[parse[i].head].lower in _DENIALS:
        return True
    verb = _verb_of(parse, i)
    return (
        parse[verb].dep in {"ccomp", "xcomp", "pcomp", "dobj"} and parse[parse[verb].head].lower in _DENIALS
    )


_EARLIER = frozenset({"after", "before", "since"})


def earlier_clause(parse: Parse, offset: int) -> bool:
    """Whether the cue at `offset` sits in an "after/before/since <clause>" clause: an earlier act
    told as the background of the main one ("the talks began after the army shelled the town")."""
    i = token_at(parse, offset)
    if i is None:
        return False
    verb = _verb_of(parse, i)
    return parse[verb].dep == "advcl" and any(
        parse[k].lower in _EARLIER and parse[k].dep == "mark" for k in _children(parse, verb)
    )


# A sentence none of whose words a rule looks for cannot be changed by the rules: it is not parsed.
_RULE_WORDS = sorted(
    (_MODALS | _DENIALS | _NEGATORS | _HYPOTHETICAL | _BACKGROUND | _EARLIER | {"not", "n't"}) - {"'ll"},
    key=len,
    reverse=True,
)
_NEEDS_PARSE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _RULE_WORDS) + r")\b|n't|'ll\b", re.I)


def needs_parse(sentence: str) -> bool:
    """Whether any clause rule could apply to `sentence` (it has a word some rule looks for)."""
    return _NEEDS_PARSE.search(sentence) is not None
