"""Read the committed world reference data: every country, admin-1 unit and town.

The regional files (``reference.py``) draw the shipped catalogue; these world
files (GeoParquet in ``data/reference/world/``, built by
``data/build_world.py``) let an imported file from anywhere be placed in its
country and first-order administrative area. Read once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import require_crs
from geo.errors import EmptyLayerError, StrikeMapError
from layers.catalogue.reference import REFERENCE_DIR

#: Where the world reference files live.
WORLD_DIR = REFERENCE_DIR / "world"
WORLD_FILES = {
    "countries": "countries.parquet",
    "admin1": "admin1.parquet",
    "places": "places.parquet",
}


@dataclass(frozen=True)
class World:
    """The world reference layers, each a GeoDataFrame in EPSG:4326.

    Attributes
    ----------
    countries
        Natural Earth admin-0: ``iso_a3`` (Natural Earth ``ADM0_A3``),
        ``iso_n3`` (ISO 3166 numeric, may be missing), ``name``, ``name_long``,
        ``name_ar``.
    admin1
        First-order units fitted to their country: ``iso_a3``, ``name``,
        ``gn_name`` (GeoNames spelling), ``woe_name``.
    places
        GeoNames places of 1,000+ people: ``geonameid``, ``name``,
        ``alternate_names`` (``; ``-separated, any script), ``country_code``
        (ISO alpha-2), ``admin1_code``, ``population``.
    """

    countries: gpd.GeoDataFrame
    admin1: gpd.GeoDataFrame
    places: gpd.GeoDataFrame


def read_world_file(path: Path) -> gpd.GeoDataFrame:
    """Read one world GeoParquet file and check it has features and a CRS.

    Raises
    ------
    StrikeMapError
        If the file is missing or unreadable.
    EmptyLayerError
        If it holds no features.
    """
    if not path.is_file():
        raise StrikeMapError(
            f"{path}: world reference file not found; rebuild it with "
            "'python data/build_world.py' (see data/README.md)"
        )
    try:
        gdf = gpd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise StrikeMapError(f"{path}: not a readable GeoParquet file ({exc})") from exc
    if len(gdf) == 0:
        raise EmptyLayerError(f"{path}: no features")
    require_crs(gdf, name=str(path))
    return gdf.to_crs("EPSG:4326")


def read_world(directory: Path = WORLD_DIR) -> World:
    """Read every world reference file in *directory*."""
    frames = {
        key: read_world_file(directory / name) for key, name in WORLD_FILES.items()
    }
    return World(**frames)


@lru_cache(maxsize=1)
def shipped_world() -> World:
    """The shipped world reference data (read once; do not modify)."""
    return read_world()


@lru_cache(maxsize=4096)
def world_area(kind: str, value: str, country: str) -> BaseGeometry | None:
    """The shipped world's outline a ``country:`` or ``admin1:`` constraint names.

    *kind* ``"country"``: the country of ISO3 code *value*; ``"admin1"``: the
    first-order area *value* of the country *country*. None when there is no
    such area. Cached (the shipped world never changes); an area of one row is
    its outline as read (the union of one large outline costs about 85 ms).
    """
    world = shipped_world()
    if kind == "country":
        rows = world.countries[world.countries["iso_a3"] == value]
    else:
        admin1 = world.admin1
        rows = admin1[(admin1["iso_a3"] == country) & (admin1["name"] == value)]
    shapes = rows.geometry.values
    if len(shapes) == 0:
        return None
    return shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)


def locate(
    lon: np.ndarray, lat: np.ndarray, *, world: World | None = None
) -> pd.DataFrame:
    """The country and admin-1 unit each (lon, lat) lies in, by spatial join.

    Parameters
    ----------
    lon, lat
        Positions in degrees (WGS 84).
    world
        The reference to use (default: the shipped one).

    Returns
    -------
    One row per position, in order: ``iso_a3`` and ``admin1`` (empty strings
    where the position lies in no unit, e.g. at sea).
    """
    world = world or shipped_world()
    points = gpd.points_from_xy(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )
    tree = shapely.STRtree(np.asarray(points, dtype=object))
    # Index the points and test each unit against them: the units (complex
    # polygons) are then the prepared side of the predicate.
    unit, point = tree.query(world.admin1.geometry.values, predicate="covers")
    first = pd.Series(unit, index=point)
    first = first[~first.index.duplicated(keep="first")]
    iso3 = world.admin1["iso_a3"].to_numpy()
    names = world.admin1["name"].to_numpy()
    out = pd.DataFrame({"iso_a3": "", "admin1": ""}, index=range(len(points)))
    out.loc[first.index, "iso_a3"] = iso3[first.to_numpy()]
    out.loc[first.index, "admin1"] = names[first.to_numpy()]
    return out
