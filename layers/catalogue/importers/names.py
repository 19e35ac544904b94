"""Place names of imported files: countries and first-order areas as spelled.

Names are matched after :func:`name_key` (accents, case, articles, words like
"governorate" dropped), once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import pandas as pd

from layers.catalogue.importers.rows import per_value

#: Palestine, PSX). Keys are normalised by :func:`name_key`.
COUNTRY_CODES: dict[str, str] = {
    "iraq": "IRQ",
    "syria": "SYR",
    "syrianarabrepublic": "SYR",
    "iran": "IRN",
    "iranislamicrepublicof": "IRN",
    "turkey": "TUR",
    "turkiye": "TUR",
    "jordan": "JOR",
    "lebanon": "LBN",
    "israel": "ISR",
    "palestine": "PSX",
    "stateofpalestine": "PSX",
    "saudiarabia": "SAU",
    "kuwait": "KWT",
    "bahrain": "BHR",
    "qatar": "QAT",
    "unitedarabemirates": "ARE",
    "uae": "ARE",
    "oman": "OMN",
    "egypt": "EGY",
    "cyprus": "CYP",
    "turkmenistan": "TKM",
    # Outside the reference map (no outline to draw with), but ISO codes
    # are still the honest country cell.
    "yemen": "YEM",
    "afghanistan": "AFG",
    "pakistan": "PAK",
    "libya": "LBY",
    "sudan": "SDN",
    "azerbaijan": "AZE",
    "armenia": "ARM",
    "georgia": "GEO",
}

#: Governorate names as ACLED, UCDP, GeoNames and common transliterations
#: spell them, to the reference admin-1 name (Natural Earth). Keys are
#: normalised by :func:`name_key` (accents, case, articles, punctuation and
#: words like "governorate" dropped); the reference's own ``name`` and
#: ``gn_name`` are matched as well.
ADMIN1_ALIASES: dict[str, str] = {
    # Iraq
    "anbar": "Al-Anbar",
    "basra": "Al-Basrah",
    "basrah": "Al-Basrah",
    "muthanna": "Al-Muthannia",
    "qadisiyah": "Al-Qādisiyyah",
    "qadisiya": "Al-Qādisiyyah",
    "qadisiyyah": "Al-Qādisiyyah",
    "diwaniyah": "Al-Qādisiyyah",
    "najaf": "An-Najaf",
    "erbil": "Arbil",
    "irbil": "Arbil",
    "arbil": "Arbil",
    "hawler": "Arbil",
    "sulaymaniyah": "As-Sulaymaniyah",
    "sulaimaniyah": "As-Sulaymaniyah",
    "sulaymaniya": "As-Sulaymaniyah",
    "kirkuk": "At-Ta'mim",
    "tamim": "At-Ta'mim",
    "babil": "Babil",
    "babylon": "Babil",
    "dhiqar": "Dhi-Qar",
    "thiqar": "Dhi-Qar",
    "duhok": "Dihok",
    "dohuk": "Dihok",
    "dahuk": "Dihok",
    "diyala": "Diyala",
    "karbala": "Karbala'",
    "kerbala": "Karbala'",
    "maysan": "Maysan",
    "missan": "Maysan",
    "ninewa": "Ninawa",
    "nineveh": "Ninawa",
    "ninawa": "Ninawa",
    "salahdin": "Sala ad-Din",
    "salahuddin": "Sala ad-Din",
    "saladin": "Sala ad-Din",
    "salaheddin": "Sala ad-Din",
    "wasit": "Wasit",
    # Syria
    "aleppo": "Aleppo",
    "halab": "Aleppo",
    "raqqa": "Ar Raqqah",
    "raqqah": "Ar Raqqah",
    "sweida": "As Suwayda'",
    "suwayda": "As Suwayda'",
    "sweyda": "As Suwayda'",
    "damascus": "Damascus",
    "dimashq": "Damascus",
    "dara": "Dar`a",
    "daraa": "Dar`a",
    "deirzor": "Dayr Az Zawr",
    "deirezzor": "Dayr Az Zawr",
    "deirazzor": "Dayr Az Zawr",
    "dayrzawr": "Dayr Az Zawr",
    "dayrzor": "Dayr Az Zawr",
    "deirzzor": "Dayr Az Zawr",
    "dayrezzor": "Dayr Az Zawr",
    "dairzor": "Dayr Az Zawr",
    "hama": "Hamah",
    "hamah": "Hamah",
    "hasakeh": "Hasaka (Al Haksa)",
    "hasakah": "Hasaka (Al Haksa)",
    "hasaka": "Hasaka (Al Haksa)",
    "homs": "Homs (Hims)",
    "hims": "Homs (Hims)",
    "idleb": "Idlib",
    "idlib": "Idlib",
    "lattakia": "Lattakia",
    "latakia": "Lattakia",
    "ladhiqiyah": "Lattakia",
    "quneitra": "Quneitra",
    "qunaytirah": "Quneitra",
    "ruraldamascus": "Rif Dimashq",
    "rifdimashq": "Rif Dimashq",
    "damascuscountryside": "Rif Dimashq",
    "tartous": "Tartus",
    "tartus": "Tartus",
}

_ARTICLES = frozenset(
    [
        "al",
        "el",
        "ar",
        "as",
        "ad",
        "an",
        "at",
        "ash",
        "az",
        "ad",
        "ez",
        "es",
        "ed",
        "en",
        "et",
        "ul",
    ]
    + ["governorate", "province", "muhafazat", "muhafazah", "mohafazat", "wilayat"]
)
#: Computed radii are rounded up to this (metres), so a circle never cuts its area.


def name_key(text: str) -> str:
    """A place name reduced for matching: no accents, case, articles or punctuation.

    ``"Al-Anbar"``, ``"Anbar governorate"`` and ``"al Anbār"`` all give ``anbar``.
    """
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = re.split(r"[^a-z0-9]+", plain)
    return "".join(w for w in words if w and w not in _ARTICLES)


def country_codes(names: pd.Series, codes: pd.Series | None = None) -> pd.Series:
    """Reference country codes for country names ("" where unknown).

    Parameters
    ----------
    names
        Country names as the file spells them.
    codes
        Alpha-3 codes the file gives, used where they look like one.
    """
    keys = per_value(names, name_key)
    out = keys.map(COUNTRY_CODES).fillna("")
    if codes is not None:
        given = codes.str.strip().str.upper()
        out = out.where(out != "", given.where(given.str.fullmatch(r"[A-Z]{3}"), ""))
    return out


def admin1_names(
    names: pd.Series, countries: pd.Series, admin1: gpd.GeoDataFrame
) -> pd.Series:
    """Reference admin-1 names for admin-1 names as a file spells them.

    A name matches when its :func:`name_key` is that of a reference ``name``
    or ``gn_name``, or of an entry of ``ADMIN1_ALIASES``, and the reference
    area lies in the row's country. Unmatched names give "".
    """
    table: dict[tuple[str, str], str] = {}
    iso = dict(zip(admin1["name"], admin1["iso_a3"], strict=True))
    for ref_name, gn_name, code in zip(
        admin1["name"], admin1["gn_name"], admin1["iso_a3"], strict=True
    ):
        for key in (name_key(ref_name), name_key(gn_name or "")):
            if key:
                table[(code, key)] = ref_name
    for key, ref_name in ADMIN1_ALIASES.items():
        table.setdefault((iso[ref_name], key), ref_name)
    keys = countries.astype(str) + "\x00" + per_value(names, name_key)
    flat = {f"{code}\x00{key}": name for (code, key), name in table.items()}
    return keys.map(flat).fillna("")
