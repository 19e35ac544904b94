"""Where imported events lie, anywhere: country by any name, admin-1 by name.

A row's country is resolved by its code (ACLED ``iso``, ISO numeric; UCDP
``country_id``, Gleditsch–Ward) where the file gives one, else by its name
(any English name, ISO alpha-2 or alpha-3; see ``layers.catalogue.countries``).
Its first-order area is the fitted regional governorate where the regional
reference has the country (Iraq, Syria), else the world reference's admin-1
unit matched by name within the country, else the unit its point lies in
(``world_admin1.match_admin1``; ``how`` says which). All of it runs on whole
columns: per distinct value, then one spatial join.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.catalogue.countries import resolve_countries
from layers.catalogue.errors import CatalogueErrors
from layers.catalogue.importers.areas import reference_frames
from layers.catalogue.importers.names import admin1_names
from layers.catalogue.importers.rows import RowErrors
from layers.catalogue.importers.world_admin1 import match_admin1
from layers.catalogue.world import shipped_world


@dataclass(frozen=True)
class Where:
    """Country and admin-1 area of each imported row.

    Attributes
    ----------
    country
        The reference ``iso_a3`` ("" where none resolved; an error is then
        recorded).
    admin1
        The reference admin-1 name ("" where none).
    how
        ``name``, ``position`` or ``none`` (see ``world_admin1.HOW``).
    key
        The country code and admin-1 name joined by a NUL: the key of
        ``shapes`` ("" where none).
    shapes
        Each area the rows name, by key (WGS 84 polygons).
    """

    country: pd.Series
    admin1: pd.Series
    how: pd.Series
    key: pd.Series
    shapes: dict[str, shapely.Geometry]


def _resolved(
    values: pd.Series, *, kind: str, name: str, column: str
) -> tuple[pd.Series, dict[int, str]]:
    """Codes of *values* ("" where unknown) and the message of each unknown."""
    try:
        return resolve_countries(values, kind=kind, path=name, column=column), {}
    except CatalogueErrors as exc:
        bad = {int(e.row or 0) - 2: e.problem for e in exc.errors}
        keep = pd.Series(np.arange(len(values)), index=values.index).isin(bad)
        good = resolve_countries(
            values.where(~keep, ""), kind=kind, path=name, column=column
        )
        return good, bad


def countries(
    frame: pd.DataFrame,
    errors: RowErrors,
    *,
    column: str,
    code_column: str | None = None,
    code_kind: str = "iso_numeric",
) -> pd.Series:
    """The reference country of each row, by code where given, else by name.

    Records an error naming the row and value for every row whose country
    resolves neither way, and for every empty country.
    """
    frame = frame.reset_index(drop=True)
    by_name, name_bad = _resolved(
        frame[column], kind="name", name=errors.name, column=column
    )
    out = by_name
    if code_column is not None and code_column in frame:
        by_code, _ = _resolved(
            frame[code_column], kind=code_kind, name=errors.name, column=code_column
        )
        out = by_code.where(by_code != "", by_name)
    rows = frame["_row"]
    for position, problem in name_bad.items():
        if out.iloc[position] == "":
            errors.add(problem, row=int(rows.iloc[position]), column=column)
    errors.add_rows(
        (frame[column] == "") & (out == ""),
        rows,
        column,
        lambda v: "is empty; the event's country is required",
        frame[column],
    )
    return out


def where(
    names: pd.Series, country: pd.Series, lon: pd.Series, lat: pd.Series
) -> Where:
    """Each row's admin-1 area: fitted regional, else world by name or position."""
    names = names.reset_index(drop=True).fillna("").astype(str)
    country = country.reset_index(drop=True)
    _, regional = reference_frames()
    fitted = country.isin(set(regional["iso_a3"]))
    admin1 = admin1_names(names, country, regional).where(fitted, "")
    how = pd.Series(np.where(admin1 != "", "name", "none"), index=names.index)
    unnamed = fitted & (admin1 == "")
    if unnamed.any():
        lies_in = _lies_in(lon, lat, country, unnamed, regional)
        admin1[unnamed] = lies_in
        how[unnamed] = np.where(lies_in != "", "position", "none")
    world = ~fitted
    if world.any():
        found = match_admin1(
            names[world],
            country[world],
            lon.reset_index(drop=True)[world].to_numpy(dtype=float),
            lat.reset_index(drop=True)[world].to_numpy(dtype=float),
        )
        admin1[world] = found["admin1"].to_numpy()
        how[world] = found["how"].to_numpy()
    key = (country + "\x00" + admin1).where(admin1 != "", "")
    return Where(country, admin1, how, key, _shapes(key, regional))


def _lies_in(
    lon: pd.Series,
    lat: pd.Series,
    country: pd.Series,
    rows: pd.Series,
    regional: gpd.GeoDataFrame,
) -> pd.Series:
    """The fitted area each of *rows* lies in, if it is in the row's country."""
    points = gpd.GeoDataFrame(
        {"country": country[rows].to_numpy()},
        geometry=gpd.points_from_xy(
            lon.reset_index(drop=True)[rows], lat.reset_index(drop=True)[rows]
        ),
        index=country.index[rows],
        crs=regional.crs,
    )
    joined = gpd.sjoin(points, regional[["iso_a3", "name", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated()]
    same = joined["iso_a3"] == joined["country"]
    return joined["name"].where(same, "").fillna("").astype(str)


def _shapes(key: pd.Series, regional: pd.DataFrame) -> dict[str, shapely.Geometry]:
    """The outline of each key (the fitted regional one where both have it)."""
    wanted = set(key[key != ""])
    out: dict[str, shapely.Geometry] = {}
    for frame in (shipped_world().admin1, regional):
        keys = frame["iso_a3"] + "\x00" + frame["name"]
        hit = keys.isin(wanted)
        out.update(zip(keys[hit], frame.geometry[hit], strict=True))
    return out


def fallback_notes(found: Where, names: pd.Series, *, label: str) -> pd.Series:
    """The derivation note of rows not drawn as the area they name, else "".

    That is, the area was found by position, or is a larger one holding the
    named area (``how`` ``within``).

    Parameters
    ----------
    found
        The rows' areas (see :func:`where`).
    names
        The admin-1 names as the file spells them (aligned with *found*).
    label
        How the notes call the file's column ("ACLED's admin1").
    """
    names = names.reset_index(drop=True)
    quoted = f" Admin-1: {label} '" + names + "'"
    position = (
        quoted + " matched no reference area; " + found.admin1 + " is the area its "
        "point lies in."
    )
    within = (
        quoted + " is drawn as " + found.admin1 + ", the larger reference area "
        "that holds it (the reference predates it or merges it with others)."
    )
    return position.where(
        found.how == "position", within.where(found.how == "within", "")
    )
