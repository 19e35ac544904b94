"""Countries by any name or code, resolved to the reference's ``iso_a3``.

ACLED files name a country (``country``) and give its ISO 3166 numeric code
(``iso``); UCDP GED names it (``country``, sometimes with a former name in
brackets, "Yemen (North Yemen)") and gives its Gleditsch–Ward number
(``country_id``); other files use ISO alpha-2, alpha-3 or an English name.
The table of codes and name patterns is the one kept by the
``country-converter`` package (its ``country_data.tsv``); the result is the
Natural Earth ``ADM0_A3`` code of ``data/reference/world/countries.parquet``
(so Palestine is ``PSX``, South Sudan ``SDS``, Kosovo ``KOS``).

Every function maps the *distinct* values once and spreads the answer over the
rows, so a file of a million rows costs as much as its few hundred names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.world import World, shipped_world

#: How a country is given: ``name`` (any English name, ISO alpha-2 or
#: alpha-3), ``iso_numeric`` (ACLED ``iso``) or ``gw`` (UCDP ``country_id``).
KINDS = ("name", "iso_numeric", "gw")
#: ISO codes that Natural Earth spells its own way (ADM0_A3).
NATURAL_EARTH_CODES = {
    "XKX": "KOS",
    "PSE": "PSX",
    "SSD": "SDS",
    "ESH": "SAH",
    # France's overseas departments, which Natural Earth draws as France.
    **dict.fromkeys(("GLP", "MTQ", "GUF", "REU", "MYT"), "FRA"),
}
#: Gleditsch–Ward numbers UCDP gives the unified successor state, where the
#: converter's table keeps the other half's number (UCDP GED codebook: Yemen is
#: 678, "Yemen (North Yemen)"; Vietnam 816, "Vietnam (North Vietnam)").
GW_SUCCESSORS = {678: "YEM", 816: "VNM", 255: "DEU"}
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*")


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    text = resources.files("country_converter").joinpath("country_data.tsv")
    with text.open(encoding="utf-8") as handle:
        data = pd.read_csv(
            handle, sep="\t", dtype=str, keep_default_na=False, na_values=[""]
        )
    return data[data["obsolete"].isna()].reset_index(drop=True)


def _reference_code(iso3: pd.Series, numeric: pd.Series, world: World) -> pd.Series:
    codes = set(world.countries["iso_a3"])
    by_numeric = (
        world.countries.dropna(subset=["iso_n3"])
        .assign(key=lambda f: f["iso_n3"].astype(int).astype(str))
        .drop_duplicates(subset="key")
        .set_index("key")["iso_a3"]
    )
    iso3 = iso3.replace(NATURAL_EARTH_CODES)
    direct = iso3.where(iso3.isin(codes))
    keys = numeric.astype("Int64").astype(str)
    bridged = keys.map(by_numeric)
    return direct.fillna(bridged)


def _by_name(values: pd.Index) -> pd.Series:
    table = _table()
    patterns = [re.compile(p, re.IGNORECASE) for p in table["regex"]]
    # A few ISO2 cells are patterns ("^GR$|^EL$" for Greece): each code counts.
    codes = table["ISO2"].str.upper().str.replace(r"[\^$]", "", regex=True)
    listed = codes.str.split("|").explode()
    iso2 = dict(zip(listed, listed.index, strict=True))
    iso3 = dict(zip(table["ISO3"].str.upper(), table.index, strict=True))
    found: dict[str, int] = {}
    for value in values:  # distinct values only
        text = str(value).strip()
        key = text.upper()
        if key in iso3 or key in iso2:
            found[value] = iso3.get(key, iso2.get(key, -1))
            continue
        for candidate in (text, _BRACKETS.sub(" ", text).strip()):
            hits = [k for k, p in enumerate(patterns) if p.search(candidate)]
            if len(hits) == 1:
                found[value] = hits[0]
                break
    return pd.Series(found, dtype="Int64").reindex(values)


def _by_code(values: pd.Index, column: str) -> pd.Series:
    table = _table().dropna(subset=[column])
    keys = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    lookup = pd.Series(table.index, index=keys)
    lookup = lookup[~lookup.index.duplicated()]
    if column == "GWcode":
        by_iso3 = pd.Series(table.index, index=table["ISO3"])
        extra = pd.Series(GW_SUCCESSORS).map(by_iso3)
        lookup = pd.concat([extra, lookup[~lookup.index.isin(extra.index)]])
    numbers = pd.to_numeric(pd.Series(values, index=values), errors="coerce")
    return numbers.astype("Int64").map(lookup).astype("Int64")


def resolve_countries(
    values: pd.Series,
    *,
    kind: str = "name",
    path: str,
    column: str,
    first_row: int = 2,
    world: World | None = None,
    strict: bool = True,
) -> pd.Series:
    """The reference ``iso_a3`` of each value of *values*.

    Parameters
    ----------
    values
        One cell per row (empty cells resolve to an empty string).
    kind
        One of ``KINDS``.
    path, column
        The file and column named in errors.
    first_row
        The spreadsheet row of the first value (the header is row 1).
    world
        The reference to resolve against (default: the shipped one).
    strict
        Raise on a value that names no country of the reference (default);
        if False, such a value resolves to an empty string.

    Returns
    -------
    The codes, aligned with *values*.

    Raises
    ------
    CatalogueErrors
        Naming the row and value of every cell that names no country of the
        reference.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    world = world or shipped_world()
    cells = values.fillna("").astype(str).str.strip()
    distinct = pd.Index(cells[cells != ""].unique())
    if kind == "name":
        rows = _by_name(distinct)
    else:
        rows = _by_code(distinct, "ISOnumeric" if kind == "iso_numeric" else "GWcode")
    table = _table()
    picked = table.reindex(rows.fillna(-1).astype(int).to_numpy())
    codes = _reference_code(
        picked["ISO3"].reset_index(drop=True),
        pd.to_numeric(picked["ISOnumeric"], errors="coerce").reset_index(drop=True),
        world,
    )
    mapping = pd.Series(codes.to_numpy(), index=distinct)
    out = cells.map(mapping).where(cells != "", "")
    if not strict:
        return out.fillna("").astype(str)
    _raise_unknown(out, cells, path=path, column=column, first_row=first_row)
    return out.astype(str)


def _raise_unknown(
    out: pd.Series, cells: pd.Series, *, path: str, column: str, first_row: int
) -> None:
    bad = out.isna().to_numpy().nonzero()[0]
    if len(bad) == 0:
        return
    errors = [
        CatalogueError(
            path,
            f"{cells.iloc[k]!r} is not a country of the reference data "
            "(expected an English name, ISO 3166 alpha-2 or alpha-3, "
            "ISO numeric or Gleditsch-Ward code)",
            row=first_row + int(k),
            column=column,
        )
        for k in bad
    ]
    raise CatalogueErrors(errors)
