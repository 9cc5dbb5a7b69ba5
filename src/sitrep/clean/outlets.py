"""Infer an article's outlet: the record, else a wire byline, else the page's site name, else the domain."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sitrep.clean.boilerplate import BYLINE

# Wire services and agencies whose byline or dateline credit names the publisher.
_AGENCIES = {
    "reuters": "Reuters", "afp": "AFP", "ap": "Associated Press", "associated press": "Associated Press",
    "pti": "PTI", "tass": "TASS", "xinhua": "Xinhua", "sputnik": "Sputnik", "ani": "ANI", "ians": "IANS",
    "anadolu": "Anadolu Agency", "bloomberg": "Bloomberg", "rfe/rl": "RFE/RL",
}  # fmt: skip
# Registrable domains of outlets seen in this project's sources, to their printed names.
_DOMAINS = {
    "reuters.com": "Reuters", "apnews.com": "Associated Press", "afintl.com": "Afghanistan International",
    "ariananews.af": "Ariana News", "tolonews.com": "TOLOnews", "asiaplustj.info": "Asia-Plus",
    "trtworld.com": "TRT World", "arabnews.pk": "Arab News", "arabnews.com": "Arab News",
    "globaltimes.cn": "Global Times", "geo.tv": "Geo News", "tribune.com.pk": "The Express Tribune",
    "dawn.com": "Dawn", "aljazeera.com": "Al Jazeera", "bbc.com": "BBC", "bbc.co.uk": "BBC",
    "rferl.org": "RFE/RL", "sputnikglobe.com": "Sputnik", "tass.com": "TASS", "unn.ua": "UNN",
    "news.az": "News.Az", "orda.kz": "Orda.kz", "timesca.com": "The Times of Central Asia",
    "khovar.tj": "Khovar", "mfa.gov.af": "Ministry of Foreign Affairs of Afghanistan",
    "sinodaily.com": "Sino Daily", "intellinews.com": "bne IntelliNews", "amu.tv": "Amu TV",
    "eurasianet.org": "Eurasianet", "kabulnow.com": "KabulNow", "tabnak.ir": "Tabnak",
}  # fmt: skip
# Second-level labels under which the registrable domain takes three labels (tribune.com.pk).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})
_CREDIT = re.compile(r"^[A-Z][A-Za-z ,]*\((AFP|PTI|Reuters|AP|TASS|Sputnik|Xinhua|ANI|IANS)\)")


def registrable_domain(url: str) -> str | None:
    """Return the registrable part of a URL's host: 'v1.afintl.com' -> 'afintl.com'."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:  # a host with no dot has no registrable domain
        return host or None
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def outlet_from_domain(url: str | None) -> str | None:
    """Return the outlet for a URL: the known name of its domain, else the registrable domain itself."""
    if not url:
        return None
    domain = registrable_domain(url)
    if domain is None:
        return None
    return _DOMAINS.get(domain, domain)


def outlet_from_byline(lines: list[str]) -> str | None:
    """Return a wire service named in a top byline ("By Reuters") or credit ("Beijing, Nov 28 (PTI)")."""
    for line in lines[:8]:  # bylines sit in the first few lines
        stripped = line.strip()
        if (match := BYLINE.match(stripped)) and (name := _AGENCIES.get(match[1].strip().lower())):
            return name
        if (match := _CREDIT.match(stripped)) and (name := _AGENCIES.get(match[1].lower())):
            return name
    return None
