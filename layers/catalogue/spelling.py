"""Place names reduced for matching, however a file spells them.

One place for the rule, shared by the importers (countries and admin-1 names
of ACLED and UCDP files) and the checks (towns a ``near:`` constraint names).
"""

from __future__ import annotations

import re
import unicodedata

#: Arabic articles and the words for a governorate, dropped from every key.
_ARTICLES = frozenset(
    ["al", "el", "ar", "as", "ad", "an", "at", "ash", "az", "ez", "es", "ed"]
    + ["en", "et", "ul"]
    + ["governorate", "province", "muhafazat", "muhafazah", "mohafazat", "wilayat"]
)
#: Words that say what kind of first-order area a name is, in the languages
#: of the sources (English, French, Spanish, Portuguese, Somali, Ukrainian
#: and Russian transliterations), and the small words around them: UCDP
#: writes "Donetsk oblast", GeoNames "Province du Nord-Kivu".
_ADMIN_WORDS = frozenset(
    ["state", "region", "division", "district", "county", "department"]
    + ["departement", "prefecture", "territory", "oblast", "oblasti", "krai"]
    + ["kray", "okrug", "raion", "rayon", "provincia", "provinsi", "estado"]
    + ["regiao", "gobolka", "wilaya", "vilayet", "velayat", "ostan", "muhafaza"]
    + ["mintaqat", "emirate", "parish", "of", "the", "du", "de", "des", "la"]
    + ["le", "l", "del", "do", "da", "municipality", "autonomous", "republic"]
)


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return [w for w in re.split(r"[\W_]+", plain) if w]


def name_key(text: str) -> str:
    """A place name reduced for matching: no accents, case, articles or punctuation.

    ``"Al-Anbar"``, ``"Anbar governorate"`` and ``"al Anbār"`` all give ``anbar``.
    Letters of other scripts stay (``"مأرب"`` gives ``مارب``), so a name in
    Arabic or Cyrillic matches its own spelling among GeoNames' alternates.
    """
    return "".join(w for w in _words(text) if w not in _ARTICLES)


def admin_key(text: str) -> str:
    """A first-order area's name reduced further: no word for its kind.

    ``"Donetsk oblast"``, ``"Donets'k"`` and ``"Donetsk Oblast"`` all give
    ``donetsk``; ``"Province du Nord-Kivu"`` gives ``nordkivu``. A name made
    only of such words keeps them (``"Centre"`` stays ``centre``).
    """
    words = [w for w in _words(text) if w not in _ARTICLES]
    kept = [w for w in words if w not in _ADMIN_WORDS]
    return "".join(kept or words)
