"""Where things are: an offline gazetteer and the stage that geocodes mentions.

Public API: `load_gazetteer`, `BuiltinGazetteer`, `GeocodeMentions`, `import_geonames`,
`place_patterns`, `country_of`.
"""

from sitrep.geo.countries import country_of
from sitrep.geo.gazetteer import BuiltinGazetteer, load_gazetteer
from sitrep.geo.geocode import GeocodeMentions, geocode_mention
from sitrep.geo.geonames import GeonamesImport, import_geonames, import_geonames_report
from sitrep.geo.patterns import place_patterns

__all__ = [
    "BuiltinGazetteer",
    "GeocodeMentions",
    "GeonamesImport",
    "country_of",
    "geocode_mention",
    "import_geonames",
    "import_geonames_report",
    "load_gazetteer",
    "place_patterns",
]
