"""CRS discipline: no frame without a CRS, metric work projected, WGS84 at the edges."""

from __future__ import annotations

from typing import TypeVar

import geopandas as gpd
from pyproj import CRS

from geo.errors import MissingCRSError

#: The CRS of everything at the edges: GeoJSON, folium, the catalogue's lon/lat.
WGS84 = "EPSG:4326"

GeoT = TypeVar("GeoT", gpd.GeoDataFrame, gpd.GeoSeries)


def require_crs(gdf: GeoT, *, name: str = "layer") -> GeoT:
    """Return *gdf* unchanged if it has a CRS.

    Parameters
    ----------
    gdf
        The frame or series to check.
    name
        What it is, for the error message.

    Returns
    -------
    The same object.

    Raises
    ------
    MissingCRSError
        If ``gdf.crs`` is None.
    """
    if gdf.crs is None:
        raise MissingCRSError(
            f"{name} has no CRS: coordinates cannot be measured or reprojected. "
            "Set one with .set_crs('EPSG:4326') if they are longitude/latitude."
        )
    return gdf


def aeqd_crs(lon: float, lat: float) -> CRS:
    """The azimuthal equidistant CRS centred on (*lon*, *lat*), on WGS84, in metres.

    The one projection builder of the project. Distances and azimuths from the
    centre are true geodesic ones; any other distance within *d* km of the
    centre is too long by at most about (d / 6371)^2 / 6 (0.005 % at 160 km,
    0.04 % at 450 km).

    Parameters
    ----------
    lon, lat
        The centre in decimal degrees.

    Returns
    -------
    A projected CRS in metres.

    Raises
    ------
    ValueError
        If the centre is not a longitude/latitude pair.
    """
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"({lon}, {lat}) is not a longitude/latitude pair")
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.9f} +lon_0={lon:.9f} +datum=WGS84 +units=m +no_defs"
    )


def local_metric_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """The azimuthal equidistant CRS (:func:`aeqd_crs`) centred on *gdf*'s bounds.

    Distances from the centre are true geodesic distances, and within a few
    hundred kilometres every other distance is within 0.1 %, which suits
    discs and areas over the Iraq-Syria border region. Long lines are better
    buffered with :func:`geo.shapes.geodesic_buffer`, which projects piece by
    piece.

    Parameters
    ----------
    gdf
        Geometries with a CRS.

    Returns
    -------
    A projected CRS in metres.

    Raises
    ------
    MissingCRSError
        If *gdf* has no CRS.
    """
    require_crs(gdf)
    west, south, east, north = gdf.to_crs(WGS84).total_bounds
    return aeqd_crs((west + east) / 2, (south + north) / 2)


def to_metric(gdf: GeoT, *, crs: CRS | None = None) -> GeoT:
    """Project *gdf* to *crs*, or to a local metric CRS centred on it.

    Parameters
    ----------
    gdf
        Geometries with a CRS.
    crs
        The target CRS; by default :func:`local_metric_crs` of *gdf*.

    Returns
    -------
    A new, projected object.

    Raises
    ------
    MissingCRSError
        If *gdf* has no CRS.
    """
    require_crs(gdf)
    return gdf.to_crs(crs if crs is not None else local_metric_crs(gdf))


def to_wgs84(gdf: GeoT) -> GeoT:
    """Return *gdf* in WGS84 longitude/latitude (a new object).

    Raises
    ------
    MissingCRSError
        If *gdf* has no CRS.
    """
    require_crs(gdf)
    return gdf.to_crs(WGS84)
