"""Geodesic discs, metric buffers, and zones built by intersecting named constraints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import shapely
from pyproj import CRS
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, require_crs, to_metric
from geo.errors import ContradictoryConstraintsError, InvalidGeometryError

#: Segments per quarter circle. 32 keeps the chord sag of a disc under 0.05 % of
#: its radius (R * (1 - cos(pi / 128))).
QUAD_SEGS = 32


def _aeqd(lon: float, lat: float) -> CRS:
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )


def geodesic_disc(
    lon: float, lat: float, radius_m: float, *, quad_segs: int = QUAD_SEGS
) -> BaseGeometry:
    """A disc of geodesic radius *radius_m* around (*lon*, *lat*), in WGS84.

    The disc is buffered in an azimuthal equidistant projection centred on the
    point, where distance from the centre is the true distance on the WGS84
    ellipsoid, then densified and returned in longitude/latitude.

    Parameters
    ----------
    lon, lat
        The centre in decimal degrees.
    radius_m
        The radius in metres, greater than zero.
    quad_segs
        Segments per quarter circle.

    Returns
    -------
    A shapely Polygon in EPSG:4326 coordinates.

    Raises
    ------
    ValueError
        If the radius is not positive or the centre is not a valid lon/lat.
    """
    if not radius_m > 0:
        raise ValueError(f"radius_m must be greater than 0, got {radius_m!r}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"({lon}, {lat}) is not a longitude/latitude pair")
    disc = gpd.GeoSeries([Point(0, 0)], crs=_aeqd(lon, lat)).buffer(
        radius_m, quad_segs=quad_segs
    )
    return disc.to_crs(WGS84).iloc[0]


def buffer_metric(
    gdf: gpd.GeoDataFrame, distance_m: float, *, crs: CRS | None = None
) -> gpd.GeoDataFrame:
    """Buffer every geometry of *gdf* by *distance_m* metres.

    Parameters
    ----------
    gdf
        Geometries with a CRS.
    distance_m
        The buffer distance in metres.
    crs
        The metric CRS to buffer in; by default a local azimuthal equidistant
        CRS centred on *gdf*.

    Returns
    -------
    A new frame, in the CRS of *gdf*.

    Raises
    ------
    MissingCRSError
        If *gdf* has no CRS.
    """
    require_crs(gdf)
    gdf_proj = to_metric(gdf, crs=crs)
    gdf_proj = gdf_proj.set_geometry(gdf_proj.buffer(distance_m, quad_segs=QUAD_SEGS))
    return gdf_proj.to_crs(gdf.crs)


@dataclass(frozen=True)
class Zone:
    """An approximate location and the constraints that shaped it.

    Attributes
    ----------
    geometry
        The intersection of the constraints, in the CRS they were given in.
    constraints
        The names of the constraints, in the order applied.
    derivation
        A sentence saying how the shape was made.
    """

    geometry: BaseGeometry
    constraints: tuple[str, ...]
    derivation: str


def _valid(name: str, geometry: BaseGeometry) -> BaseGeometry:
    if geometry.is_valid:
        return geometry
    repaired = shapely.make_valid(geometry)
    if not repaired.is_valid or repaired.is_empty:
        raise InvalidGeometryError(
            f"constraint '{name}' has an invalid geometry that make_valid cannot "
            f"repair ({shapely.is_valid_reason(geometry)})"
        )
    return repaired


def intersect_constraints(
    constraints: Mapping[str, BaseGeometry], *, subject: str = "location"
) -> Zone:
    """Intersect named constraint areas into one zone.

    Parameters
    ----------
    constraints
        Constraint name (a short phrase such as "within 30 km of Abu Kamal")
        to its polygonal geometry, all in one projected CRS. Order is kept.
    subject
        What the zone locates, for messages.

    Returns
    -------
    The zone with its derivation.

    Raises
    ------
    ValueError
        If no constraint is given.
    InvalidGeometryError
        If a constraint cannot be repaired.
    ContradictoryConstraintsError
        If the constraints have no area in common.
    """
    if not constraints:
        raise ValueError(f"{subject}: at least one constraint is needed")
    names = tuple(constraints)
    geometry = None
    for name in names:
        part = _valid(name, constraints[name])
        geometry = part if geometry is None else shapely.intersection(geometry, part)
        if geometry.is_empty or geometry.area == 0:
            raise ContradictoryConstraintsError(
                f"{subject}: the constraints {', '.join(repr(n) for n in names)} "
                f"have no area in common (empty once '{name}' is applied); "
                "the sources contradict each other, so check the anchor point, "
                "the radius and the named areas"
            )
    polygons = shapely.get_parts(geometry)
    geometry = shapely.union_all(
        [g for g in polygons if g.geom_type in ("Polygon", "MultiPolygon")]
    )
    derivation = "Intersection of: " + "; ".join(names) + "."
    return Zone(geometry=geometry, constraints=names, derivation=derivation)
