"""Towns a constraint names: ``near:<town> <distance> km``, in any country.

A ``near:`` constraint puts an event within a distance of a named town, as a
source says it ("within 20 km of Marib"). The town is looked up among the
reference places of the event's country: the regional places file, then the
world's GeoNames places of 1,000+ people, by their name or any alternate
name GeoNames gives (any script), after
:func:`~layers.catalogue.spelling.name_key`. A name several places of
the country share is taken only when they all lie within the stated distance
of one another (the most populous then stands for them); otherwise it is
ambiguous and refused by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pyproj import Geod

from layers.catalogue.countries import resolve_countries
from layers.catalogue.reference import read_reference
from layers.catalogue.spelling import name_key
from layers.catalogue.world import locate, shipped_world

#: ``<town> <distance> km``: the town's name, then a distance in kilometres.
NEAR_VALUE = re.compile(r"^(?P<town>.*\S)\s+(?P<km>\d+(?:\.\d+)?)\s*km$", re.IGNORECASE)
#: The farthest a ``near:`` constraint may reach (km); past it, a town is no
#: longer a useful constraint and the event's own disc says more.
MAX_NEAR_KM = 500.0
#: Where the towns come from, as derivations name them.
TOWNS_SOURCE = "GeoNames"

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Town:
    """A town a ``near:`` constraint resolved to.

    Attributes
    ----------
    name
        The reference name of the town (GeoNames ``name``).
    geonameid
        Its GeoNames id.
    lon, lat
        Its position (WGS 84 degrees).
    km
        The distance the constraint gives (kilometres).
    """

    name: str
    geonameid: int
    lon: float
    lat: float
    km: float


def parse_near(value: str) -> tuple[str, float] | None:
    """The town and distance of a ``near:`` value, or None if malformed.

    ``"Marib 20 km"`` gives ``("Marib", 20.0)``; a distance that is not
    positive or is over ``MAX_NEAR_KM`` is malformed too.
    """
    match = NEAR_VALUE.match(value.strip())
    if match is None:
        return None
    km = float(match["km"])
    if not 0 < km <= MAX_NEAR_KM:
        return None
    return match["town"].strip(), km


@lru_cache(maxsize=1)
def _all_places() -> pd.DataFrame:
    """Regional and world places with their ISO3 country (one row per place)."""
    regional = read_reference().places
    world = shipped_world().places
    frames = []
    for frame in (regional, world):
        frames.append(
            pd.DataFrame(
                {
                    "geonameid": frame["geonameid"].astype("int64").to_numpy(),
                    "name": frame["name"].astype(str).to_numpy(),
                    "alternate_names": frame["alternate_names"]
                    .fillna("")
                    .astype(str)
                    .to_numpy(),
                    "country_code": frame["country_code"].astype(str).to_numpy(),
                    "population": frame["population"].astype("int64").to_numpy(),
                    "lon": frame.geometry.x.to_numpy(),
                    "lat": frame.geometry.y.to_numpy(),
                }
            )
        )
    places = pd.concat(frames, ignore_index=True).drop_duplicates("geonameid")
    places = places.reset_index(drop=True)
    codes = pd.Series(places["country_code"].unique())
    iso3 = resolve_countries(
        codes, kind="name", path="places", column="country_code", strict=False
    )
    places["iso3"] = places["country_code"].map(dict(zip(codes, iso3, strict=True)))
    # GeoNames codes a territory (Svalbard SJ, Bonaire BQ) that Natural Earth
    # draws as part of a country: its places take the country they lie in.
    folded = places["iso3"] == ""
    if folded.any():
        lon, lat = (places.loc[folded, c].to_numpy(float) for c in ("lon", "lat"))
        found = locate(lon, lat)
        places.loc[folded, "iso3"] = found["iso_a3"].to_numpy()
    return places


@lru_cache(maxsize=64)
def _country_names(country: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The places of *country*, and every (key, place) pair of their names.

    The second frame has ``key`` (a ``name_key``), ``row`` (into the first)
    and ``own`` (whether the key is the place's own name, not an alternate).
    """
    places = _all_places()
    places = places[places["iso3"] == country].reset_index(drop=True)
    names = places["alternate_names"].str.split("; ").explode()
    alternates = pd.DataFrame(
        {"row": names.index, "text": names.fillna("").to_numpy(), "own": False}
    )
    own = pd.DataFrame({"row": places.index, "text": places["name"], "own": True})
    keys = pd.concat([own, alternates], ignore_index=True)
    keys["key"] = keys["text"].map(name_key)
    keys = keys[keys["key"] != ""].drop_duplicates(["key", "row"])
    return places, keys[["key", "row", "own"]].reset_index(drop=True)


def find_town(town: str, km: float, country: str) -> Town | str:
    """The town *town* of *country* (ISO3), or why it cannot be taken.

    Returns
    -------
    The :class:`Town`, or a message: the name is unknown in the country, or
    it names places farther apart than *km* from one another.
    """
    places, keys = _country_names(country)
    hits = keys[keys["key"] == name_key(town)]
    if hits["own"].any():
        hits = hits[hits["own"]]
    if hits.empty:
        return (
            f"names no town of {country} in the reference places (GeoNames places "
            "of 1,000+ people, and the regional places file); expected a town's "
            "name as GeoNames gives it, in any of its spellings"
        )
    found = places.loc[hits["row"].unique()].sort_values(
        ["population", "geonameid"], ascending=[False, True]
    )
    if len(found) > 1:
        lon, lat = found["lon"].to_numpy(), found["lat"].to_numpy()
        first_lon, first_lat = np.full_like(lon, lon[0]), np.full_like(lat, lat[0])
        _, _, metres = _GEOD.inv(first_lon, first_lat, lon, lat)
        if np.max(metres) > km * 1000:
            listed = ", ".join(
                f"{n} ({y:.3f}, {x:.3f})"
                for n, y, x in zip(found["name"], lat, lon, strict=True)
            )
            return (
                f"is ambiguous: {len(found)} places of {country} farther than "
                f"{km:g} km apart bear that name ({listed}); expected a name only "
                "one of them bears"
            )
    best = found.iloc[0]
    return Town(
        str(best["name"]),
        int(best["geonameid"]),
        float(best["lon"]),
        float(best["lat"]),
        km,
    )
