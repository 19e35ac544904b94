"""Read the committed reference geodata: countries, governorates, river, towns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geo.crs import require_crs
from geo.errors import EmptyLayerError, InvalidGeometryError, StrikeMapError

#: Where the committed reference files live.
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
REFERENCE_FILES = {
    "countries": "countries.geojson",
    "admin1": "admin1.geojson",
    "euphrates": "euphrates.geojson",
    "places": "places.geojson",
}


@dataclass(frozen=True)
class Reference:
    """The reference layers, each a GeoDataFrame in EPSG:4326."""

    countries: gpd.GeoDataFrame
    admin1: gpd.GeoDataFrame
    euphrates: gpd.GeoDataFrame
    places: gpd.GeoDataFrame


def read_reference_file(path: Path) -> gpd.GeoDataFrame:
    """Read one reference file and check it.

    Parameters
    ----------
    path
        A vector file GDAL can read.

    Returns
    -------
    The features, with a CRS and valid geometry.

    Raises
    ------
    StrikeMapError
        If the file is missing or unreadable.
    EmptyLayerError
        If it holds no features.
    InvalidGeometryError
        If a geometry is invalid and cannot be repaired.
    """
    if not path.is_file():
        raise StrikeMapError(
            f"{path}: reference file not found; rebuild it with "
            "'python data/build_reference.py' (see data/README.md)"
        )
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise StrikeMapError(f"{path}: not a readable vector file ({exc})") from exc
    if len(gdf) == 0:
        raise EmptyLayerError(f"{path}: no features")
    require_crs(gdf, name=str(path))
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        repaired = shapely.make_valid(gdf.geometry.values[invalid.values])
        if not shapely.is_valid(repaired).all():
            row = int(invalid.to_numpy().nonzero()[0][0])
            raise InvalidGeometryError(
                f"{path}: feature {row} has an invalid geometry that make_valid "
                "cannot repair"
            )
        gdf.loc[invalid, gdf.geometry.name] = repaired
    return gdf


def read_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read every reference file in *directory*.

    Parameters
    ----------
    directory
        The folder holding the files named in ``REFERENCE_FILES``.

    Returns
    -------
    The reference layers.
    """
    frames = {
        key: read_reference_file(directory / name)
        for key, name in REFERENCE_FILES.items()
    }
    return Reference(**frames)


def whole_countries(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The regional countries whose outline the region's box does not cut.

    The regional countries layer is clipped to the region (see
    ``data/README.md``): Turkey stops at 38°N, Iran at 60°E, Saudi Arabia at
    23°N. Such an outline must not stand for the country beyond the box (an
    event at Çanakkale would lie outside "Turkey"); a country whose outline
    reaches the box's edge is left out, so that the world outline is used.

    Parameters
    ----------
    countries
        The regional countries (any CRS; compared in EPSG:4326).

    Returns
    -------
    The rows of *countries* that are whole.
    """
    bounds = shapely.bounds(countries.to_crs("EPSG:4326").geometry.values)
    box = bounds.min(axis=0)[:2].tolist() + bounds.max(axis=0)[2:].tolist()
    cut = ((bounds[:, :2] <= box[:2]) | (bounds[:, 2:] >= box[2:])).any(axis=1)
    return countries[~cut]
