"""Clean stage: turn RawArticle into Article (boilerplate, glued words, whitespace, date and outlet)."""

from sitrep.clean.stage import CleanArticles

__all__ = ["CleanArticles"]
