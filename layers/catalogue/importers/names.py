"""Place names of imported files: countries and first-order areas as spelled.

Names are matched after :func:`name_key` (accents, case, articles, words like
"governorate" dropped), once per distinct value.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers.catalogue.importers.rows import per_value
from layers.catalogue.spelling import admin_key, name_key

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


#: Present-day spellings the reference's admin-1 names (Natural Earth 4.1)
#: predate, by country: ACLED and UCDP write them so. Keys are normalised by
#: :func:`~layers.catalogue.spelling.admin_key`.
WORLD_ADMIN1_ALIASES: dict[str, dict[str, str]] = {
    "UKR": {
        "kyiv": "Kiev",
        "kyivcity": "Kiev City",
        "kiev": "Kiev",
        "odesa": "Odessa",
        "zakarpattia": "Transcarpathia",
        "zaporizhia": "Zaporizhzhya",
        "zaporizhzhia": "Zaporizhzhya",
        "mykolaiv": "Mykolayiv",
        "vinnytsia": "Vinnytsya",
        "khmelnytskyi": "Khmel'nyts'kyy",
        "ternopil": "Ternopil'",
        "ivanofrankivsk": "Ivano-Frankivs'k",
        "dnipropetrovsk": "Dnipropetrovs'k",
        "luhansk": "Luhans'k",
        "donetsk": "Donets'k",
        "lviv": "L'viv",
    },
    "LBN": {
        "south": "South Lebanon",
        "north": "North Lebanon",
        "nabatiye": "An Nabatiyah",
        "nabatieh": "An Nabatiyah",
        "nabatiyeh": "An Nabatiyah",
        "bekaa": "Beqaa",
        "biqa": "Beqaa",
    },
    "YEM": {
        "amanatalasimah": "Amanat Al Asimah",
        "amanatasimah": "Amanat Al Asimah",
        "sanaacity": "Amanat Al Asimah",
        "sanaa": "Sana'a",
        "taizz": "Ta`izz",
        "aden": "`Adan",
        "sadah": "Sa`dah",
        "saada": "Sa`dah",
        "dali": "Al Dali'",
        "dhale": "Al Dali'",
        "bayda": "Al Bayda'",
        "marib": "Ma'rib",
        "hodeidah": "Al Hudaydah",
        "hadramaut": "Hadramawt",
        "hadramout": "Hadramawt",
        "mahra": "Al Mahrah",
        "raymah": "Raymah",
        "rayma": "Raymah",
    },
    "COD": {
        "northkivu": "Nord-Kivu",
        "southkivu": "Sud-Kivu",
        "kinshasa": "Kinshasa City",
        "equateur": "Équateur",
    },
    "ETH": {
        "oromia": "Oromiya",
        "snnp": "Southern Nations, Nationalities and Peoples",
        "snnpr": "Southern Nations, Nationalities and Peoples",
        "benshangulgumuz": "Benshangul-Gumaz",
        "benishangulgumuz": "Benshangul-Gumaz",
        "gambela": "Gambela Peoples",
        "harari": "Harari People",
    },
    "SAU": {
        "jazan": "Jizan",
        "riyadh": "Ar Riyad",
        "qassim": "Al Quassim",
        "easternprovince": "Ash Sharqiyah",
        "eastern": "Ash Sharqiyah",
    },
    "LBY": {
        "tripoli": "Tajura' wa an Nawahi al Arba",
        "tarabulus": "Tajura' wa an Nawahi al Arba",
    },
    "SDN": {
        "southkordofan": "South Kordufan",
        "northkordofan": "North Kordufan",
        "westdarfur": "Western Darfur",
        "southdarfur": "Southern Darfur",
        "eastdarfur": "Eastern Darfur",
        "jazirah": "Gezira",
        "gedaref": "Gedarif",
    },
    "SOM": {
        "banadir": "Banaadir",
        "lowershabelle": "Shabeellaha Hoose",
        "middleshabelle": "Shabeellaha Dhexe",
        "lowerjuba": "Jubbada Hoose",
        "middlejuba": "Jubbada Dhexe",
        "hiraan": "Hiiraan",
        "galgaduud": "Galguduud",
        "nugal": "Nugaal",
    },
}


#: Areas the reference holds only inside a larger one, by country: created
#: after it (the Democratic Republic of the Congo's 26 provinces of 2015,
#: Lebanon's Akkar and Baalbek-Hermel of 2014, Mali's Ménaka and Taoudénit,
#: Yemen's Socotra), or merged into one unit by it (Somaliland's regions; the
#: parts of Myanmar's Shan and Bago states ACLED names). Such a name is drawn
#: as the larger area, which holds it, and the derivation says so. Keys are
#: normalised by :func:`~layers.catalogue.spelling.admin_key`.
WORLD_ADMIN1_WITHIN: dict[str, dict[str, str]] = {
    "COD": {
        **dict.fromkeys(("ituri", "hautuele", "basuele", "tshopo"), "Orientale"),
        **dict.fromkeys(
            ("tanganyika", "hautkatanga", "lualaba", "hautlomami"), "Katanga"
        ),
        **dict.fromkeys(("kasai", "kasaicentral"), "Kasaï-Occidental"),
        **dict.fromkeys(("sankuru", "lomami"), "Kasaï-Oriental"),
        **dict.fromkeys(("kwango", "kwilu", "maindombe"), "Bandundu"),
        "kongocentral": "Bas-Congo",
        **dict.fromkeys(("nordubangi", "sudubangi", "mongala", "tshuapa"), "Équateur"),
    },
    "LBN": {
        "baalbekhermel": "Beqaa",
        "baalbekhermil": "Beqaa",
        "akkar": "North Lebanon",
    },
    "MLI": {"menaka": "Gao", "taoudeni": "Timbuktu", "taoudenit": "Timbuktu"},
    "YEM": {"socotra": "Hadramawt", "suqutra": "Hadramawt"},
    "ETH": dict.fromkeys(
        ("sidama", "southwestethiopia", "southwest", "southwestethiopiapeoples"),
        "Southern Nations, Nationalities and Peoples",
    ),
    "SOM": dict.fromkeys(
        ("awdal", "woqooyigalbeed", "togdheer", "sanaag", "sool"), "Somaliland"
    ),
    "MMR": {
        **dict.fromkeys(("shannorth", "shansouth", "shaneast"), "Shan"),
        **dict.fromkeys(("bagoeast", "bagowest"), "Bago"),
    },
}


def _admin1_table(admin1: pd.DataFrame) -> pd.DataFrame:
    """Every (country, key) a reference admin-1 area answers to, best first.

    Tiers: 0, the tables of spellings (``ADMIN1_ALIASES``,
    ``WORLD_ADMIN1_ALIASES``, ``WORLD_ADMIN1_WITHIN``), which are deliberate
    and outrank the reference's own stale names (Natural Earth gives Central
    Darfur the WOE name "West Darfur"); 1, a ``name_key`` of the area's own
    names (``name``, ``gn_name``, ``woe_name``, ``alt_name``); 2, an
    ``admin_key`` of them. A key that
    answers for two areas of one country in its best tier is dropped: such a
    name is matched by position instead.
    """
    columns = [c for c in ("name", "gn_name", "woe_name", "alt_name") if c in admin1]
    own = pd.concat(
        [admin1[["iso_a3", "name"]].assign(text=admin1[c].fillna("")) for c in columns]
    )
    texts = pd.Series(own["text"].unique())
    by_name = dict(zip(texts, texts.map(name_key), strict=True))
    by_admin = dict(zip(texts, texts.map(admin_key), strict=True))
    iso = dict(zip(admin1["name"], admin1["iso_a3"], strict=True))
    aliases = [(iso[n], k, n) for k, n in ADMIN1_ALIASES.items() if n in iso]
    aliases += [
        (code, key, name)
        for tables in (WORLD_ADMIN1_ALIASES, WORLD_ADMIN1_WITHIN)
        for code, table in tables.items()
        for key, name in table.items()
    ]
    alias = pd.DataFrame(aliases, columns=["iso_a3", "key", "name"])
    table = pd.concat(
        [
            alias.assign(tier=0),
            own.assign(key=own["text"].map(by_name), tier=1),
            own.assign(key=own["text"].map(by_admin), tier=2),
        ],
        ignore_index=True,
    )[["iso_a3", "key", "name", "tier"]]
    table = table[(table["key"] != "") & table["name"].isin(iso)].drop_duplicates()
    best = table.groupby(["iso_a3", "key"])["tier"].transform("min")
    table = table[table["tier"] == best]
    areas = table.groupby(["iso_a3", "key"])["name"].transform("nunique")
    return table[areas == 1].drop_duplicates(["iso_a3", "key"])


def admin1_names(
    names: pd.Series, countries: pd.Series, admin1: gpd.GeoDataFrame
) -> pd.Series:
    """Reference admin-1 names for admin-1 names as a file spells them.

    A name matches when its :func:`~layers.catalogue.spelling.name_key` (or,
    failing that, its :func:`~layers.catalogue.spelling.admin_key`) is one a
    reference area of the row's country answers to (see
    :func:`_admin1_table`). Unmatched names give "".
    """
    table = _admin1_table(admin1)
    flat = dict(
        zip(table["iso_a3"] + "\x00" + table["key"], table["name"], strict=True)
    )
    codes = countries.astype(str) + "\x00"
    first = (codes + per_value(names, name_key)).map(flat)
    second = (codes + per_value(names, admin_key)).map(flat)
    return first.fillna(second).fillna("")


def admin1_within(names: pd.Series, countries: pd.Series) -> pd.Series:
    """Where a name is one the reference holds only inside a larger area.

    True for the names of ``WORLD_ADMIN1_WITHIN`` (by their ``admin_key``),
    within their country; aligned with *names*.
    """
    keys = {f"{c}\x00{k}" for c, table in WORLD_ADMIN1_WITHIN.items() for k in table}
    codes = countries.astype(str).set_axis(names.index) + "\x00"
    found = codes + per_value(names, admin_key)
    return found.isin(keys)
