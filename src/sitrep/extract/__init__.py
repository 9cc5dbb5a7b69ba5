"""Event extraction: Article -> Mention (typed, dated, placed, counted, quoted) and FactClaim."""

from sitrep.extract.facts import extract_facts
from sitrep.extract.nlp import load_nlp
from sitrep.extract.stage import ExtractEvents

__all__ = ["ExtractEvents", "extract_facts", "load_nlp"]
