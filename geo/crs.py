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


def local_metric_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """An azimuthal equidistant CRS centred on the middle of *gdf*.

    Distances from the centre are true geodesic distances, and within a few
    hundred kilometres every other distance is within 0.1 %, which suits
    discs, buffers and areas over the Iraq-Syria border region.

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
    lon, lat = (west + east) / 2, (south + north) / 2
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


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
