"""Geodesic discs, metric buffers, and zones built by intersecting named constraints."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, aeqd_crs, require_crs, to_metric
from geo.errors import ContradictoryConstraintsError, InvalidGeometryError

#: Segments per quarter circle. 32 keeps the chord sag of a disc under 0.05 % of
#: its radius (R * (1 - cos(pi / 128))).
QUAD_SEGS = 32
#: Segments per quarter circle for corridors around lines: 64 keeps the sag of
#: the round joins and caps under 0.008 % of the width.
LINE_QUAD_SEGS = 64
#: Lines are densified to this spacing in longitude/latitude before they are
#: projected, so that a projected straight edge and the lon/lat straight edge
#: GeoJSON means stay within centimetres of each other (about 500 m here).
DENSIFY_DEG = 0.005
#: Edges of a buffer are densified to this length (metres) before they go
#: back to longitude/latitude, for the same reason.
DENSIFY_M = 500.0
#: Side of the tiles a line is cut into, each buffered in its own azimuthal
#: equidistant projection (degrees; a tile reaches about 80 km from its centre).
TILE_DEG = 1.0
_GEOD = Geod(ellps="WGS84")


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
    x, _ = _disc_rings(np.array([lon]), np.array([lat]), np.array([radius_m]), 16)
    if _wrapping(x)[0]:  # across the antimeridian or around a pole: cut there
        return geodesic_discs(
            np.array([lon]), np.array([lat]), np.array([radius_m]), quad_segs=quad_segs
        )[0]
    disc = gpd.GeoSeries([Point(0, 0)], crs=aeqd_crs(lon, lat)).buffer(
        radius_m, quad_segs=quad_segs
    )
    return disc.to_crs(WGS84).iloc[0]


def geodesic_discs(
    lon: np.ndarray,
    lat: np.ndarray,
    radius_m: np.ndarray,
    *,
    quad_segs: int = QUAD_SEGS,
) -> np.ndarray:
    """Many geodesic discs at once, in WGS84 (vectorised :func:`geodesic_disc`).

    Every vertex is solved on the WGS84 ellipsoid (``pyproj.Geod.fwd``) at its
    exact geodesic distance from the centre, so only the chord sag between
    vertices (under 0.05 % of the radius at 32 segments a quarter) separates an
    edge from the true circle. No per-disc projection is built.

    Parameters
    ----------
    lon, lat
        The centres in decimal degrees, one per disc.
    radius_m
        The radii in metres, each greater than zero.
    quad_segs
        Segments per quarter circle.

    Returns
    -------
    An object array of shapely Polygons, one per centre.

    Raises
    ------
    ValueError
        If the arrays differ in length or a radius is not positive.
    """
    lon, lat, radius = (np.asarray(a, dtype=float) for a in (lon, lat, radius_m))
    if not lon.shape == lat.shape == radius.shape:
        raise ValueError("lon, lat and radius_m must have the same length")
    if not (radius > 0).all():
        raise ValueError("every radius_m must be greater than 0")
    count, segments = len(lon), 4 * quad_segs
    if count == 0:
        return np.empty(0, dtype=object)
    x, y = _disc_rings(lon, lat, radius, segments)
    out = np.empty(count, dtype=object)
    wraps = _wrapping(x)
    plain = ~wraps
    if plain.any():
        rings = shapely.linearrings(np.stack([x[plain], y[plain]], axis=-1))
        out[plain] = shapely.polygons(rings)
    if wraps.any():
        out[wraps] = _wrapped_discs(x[wraps], y[wraps], lon[wraps], lat[wraps])
    return out


#: A disc this wide holds more than a hemisphere; it is drawn as the whole
#: world (its constraints, a country say, bound it instead).
WORLD_DISC_M = 9_500_000.0
_WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)


def _disc_rings(
    lon: np.ndarray, lat: np.ndarray, radius: np.ndarray, segments: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ring vertices of each disc, (count, segments) longitudes and latitudes."""
    count = len(lon)
    azimuths = np.tile(np.linspace(0.0, 360.0, segments, endpoint=False), count)
    x, y, _ = _GEOD.fwd(
        np.repeat(lon, segments),
        np.repeat(lat, segments),
        azimuths,
        np.repeat(np.minimum(radius, WORLD_DISC_M), segments),
    )
    x, y = x.reshape(count, segments), y.reshape(count, segments)
    wide = radius >= WORLD_DISC_M
    x[wide], y[wide] = np.nan, np.nan  # marked: the whole world
    return x, y


def _wrapping(x: np.ndarray) -> np.ndarray:
    """Rings that cross the antimeridian or circle a pole (or span the world)."""
    step = np.abs(np.diff(x, axis=1, append=x[:, :1]))
    return np.isnan(x).any(axis=1) | (step > 180.0).any(axis=1)


def _polar_cap(x: np.ndarray, y: np.ndarray, lon: float, lat: float) -> BaseGeometry:
    """A disc holding a pole, built from its ring.

    The outline runs from -180 to 180 degrees along the ring (which meets
    every longitude once), then back along the pole.
    """
    _, _, north = _GEOD.inv(lon, lat, 0.0, 90.0)
    _, _, south = _GEOD.inv(lon, lat, 0.0, -90.0)
    pole = 90.0 if north <= south else -90.0
    wrapped = (x + 180.0) % 360.0 - 180.0
    order = np.argsort(wrapped)
    xs, ys = wrapped[order], y[order]
    # The latitude where the ring crosses the antimeridian, between its
    # easternmost and westernmost vertices.
    span = xs[0] + 360.0 - xs[-1]
    seam = ys[-1] + (ys[0] - ys[-1]) * (180.0 - xs[-1]) / span if span else ys[0]
    ring = np.column_stack(
        [
            np.r_[-180.0, xs, 180.0, 180.0, -180.0],
            np.r_[seam, ys, seam, pole, pole],
        ]
    )
    return shapely.make_valid(shapely.Polygon(ring))


def _shifted(coords: np.ndarray, *, by: float) -> np.ndarray:
    return coords + np.array([by, 0.0])


def _wrapped_discs(
    x: np.ndarray, y: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Discs across the antimeridian, cut there (RFC 7946, section 3.1.9).

    Each ring is unwrapped to continuous longitudes; a ring that then fails to
    close by a whole turn circles a pole, and runs along the pole's parallel
    to close. The shape is cut at +-180 degrees and the part beyond is moved
    back by a turn, giving a MultiPolygon within [-180, 180].
    """
    out = np.empty(len(x), dtype=object)
    world = np.isnan(x).any(axis=1)
    out[world] = _WORLD
    x, y = np.unwrap(x[~world], period=360.0, axis=1), y[~world]
    turn = x[:, -1] - x[:, 0]
    shapes = np.empty(len(x), dtype=object)
    closed = np.abs(turn) < 180.0
    if closed.any():
        rings = shapely.linearrings(np.stack([x[closed], y[closed]], axis=-1))
        shapes[closed] = shapely.polygons(rings)
    for i in np.flatnonzero(~closed):  # circles a pole: rare (wide and far north)
        shapes[i] = _polar_cap(x[i], y[i], lon[~world][i], lat[~world][i])
    parts = [shapely.intersection(shapes, _WORLD)]
    for shift in (-360.0, 360.0):  # a closed ring spans under a turn
        beyond = shapely.intersection(
            shapes, shapely.box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        )
        parts.append(shapely.transform(beyond, functools.partial(_shifted, by=shift)))
    whole = parts[0]
    for part in parts[1:]:
        whole = shapely.union(whole, part)
    out[~world] = whole
    return out


def cell_points(xy: np.ndarray, *, cell_deg: float = 0.1) -> tuple[np.ndarray, float]:
    """One point per *cell_deg* cell that the positions *xy* fall in.

    Parameters
    ----------
    xy
        Longitudes and latitudes in degrees, shape (n, 2).
    cell_deg
        The side of a cell in degrees.

    Returns
    -------
    The points (a shapely array) and the farthest a position lies from its
    cell's point (half the cell's diagonal): a search within a distance of
    the points, widened by as much, finds all that the positions would.
    """
    cells = np.unique(
        np.round(np.asarray(xy, dtype=float) / cell_deg) * cell_deg, axis=0
    )
    points = np.asarray(shapely.points(cells), dtype=object)
    return points, cell_deg * math.sqrt(2.0) / 2.0


@functools.lru_cache(maxsize=512)
def _tile_transformers(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    # Tiles sit on a fixed grid, so a slider move reuses these (creating one
    # costs about 10 ms; pyproj transformers are thread-safe since 3.1).
    crs = aeqd_crs(lon, lat)
    return (
        Transformer.from_crs(WGS84, crs, always_xy=True),
        Transformer.from_crs(crs, WGS84, always_xy=True),
    )


def _project(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


#: A corridor edge farther than this share of the width from the line is a
#: GEOS shortcut (see :func:`_line_buffer`) and is rebuilt segment by segment.
_EDGE_SLACK = 1e-4


def _chains(lines: BaseGeometry, loose: BaseGeometry | None, reach: float) -> list:
    # Split *lines* into 2-point segments near the points in *loose*, keeping
    # runs of untouched segments as chains (cheap to buffer).
    out = []
    for part in shapely.get_parts(
        shapely.line_merge(lines) if loose is None else lines
    ):
        coords = shapely.get_coordinates(part)
        if loose is None or len(coords) < 3:
            out.append(part)
            continue
        segments = shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1))
        near = shapely.dwithin(segments, loose, reach)
        start = 0
        for i in range(len(segments) + 1):
            if i == len(segments) or near[i]:
                if i > start:
                    out.append(shapely.LineString(coords[start : i + 1]))
                if i < len(segments):
                    out.append(segments[i])
                start = i + 1
    return out


def _line_buffer(lines: BaseGeometry, distance: float, quad_segs: int) -> BaseGeometry:
    """Buffer planar *lines* exactly (to the arc sag), unlike a plain GEOS buffer.

    GEOS first drops shallow concave vertices of a line (up to 1 % of the
    distance deep), which pushes the edge out by as much. Where the edge ends
    up too far from the line, the line is split into its segments there (a
    segment has nothing to drop) and buffered again.
    """
    parts = _chains(lines, None, 0.0)
    step = distance / 50
    for _ in range(4):
        whole = shapely.MultiLineString(parts)
        buffered = shapely.buffer(whole, distance, quad_segs=quad_segs)
        edge = shapely.get_coordinates(
            shapely.segmentize(shapely.boundary(buffered), step)
        )
        shapely.prepare(whole)
        far = ~shapely.dwithin(
            shapely.points(edge), whole, distance * (1 + _EDGE_SLACK)
        )
        if not far.any():
            return buffered
        parts = _chains(whole, shapely.multipoints(edge[far]), 1.2 * distance)
    return buffered


def geodesic_buffer(
    lines: BaseGeometry,
    distance_m: float,
    *,
    tile_deg: float = TILE_DEG,
    quad_segs: int = LINE_QUAD_SEGS,
) -> BaseGeometry:
    """Everything within *distance_m* metres (on the WGS84 ellipsoid) of *lines*.

    One projection cannot hold a long line true: an azimuthal equidistant CRS
    centred on a region stretches distances far from its centre, and few
    segments per quarter circle cut the round joins short. Here the lines are
    densified in longitude/latitude (so the line meant is the one GeoJSON
    draws), cut into tiles of *tile_deg* degrees, and each piece is buffered in
    an azimuthal equidistant CRS centred on it, with *quad_segs* segments per
    quarter circle. The pieces' buffers are densified, brought back to
    longitude/latitude and united. The edge lies within 0.01 % of
    *distance_m* from the line for widths up to 200 km.

    Parameters
    ----------
    lines
        Lines (or any geometry) in EPSG:4326 longitude/latitude.
    distance_m
        The distance in metres, greater than zero.
    tile_deg
        Side of the tiles, in degrees.
    quad_segs
        Segments per quarter circle of the round joins and caps.

    Returns
    -------
    A polygon or multipolygon in EPSG:4326.

    Raises
    ------
    ValueError
        If the distance is not positive or *lines* is empty.
    """
    if not distance_m > 0:
        raise ValueError(f"distance_m must be greater than 0, got {distance_m!r}")
    if lines.is_empty:
        raise ValueError("nothing to buffer: the geometry is empty")
    dense = shapely.segmentize(lines, DENSIFY_DEG)
    west, south, east, north = dense.bounds
    pieces = []
    for i in range(math.floor(west / tile_deg), math.floor(east / tile_deg) + 1):
        for j in range(math.floor(south / tile_deg), math.floor(north / tile_deg) + 1):
            x0, y0 = i * tile_deg, j * tile_deg
            part = shapely.clip_by_rect(dense, x0, y0, x0 + tile_deg, y0 + tile_deg)
            if part.is_empty:
                continue
            forward, back = _tile_transformers(x0 + tile_deg / 2, y0 + tile_deg / 2)
            buffered = _line_buffer(_project(part, forward), distance_m, quad_segs)
            pieces.append(_project(shapely.segmentize(buffered, DENSIFY_M), back))
    return shapely.union_all(pieces)


def buffer_metric(
    gdf: gpd.GeoDataFrame, distance_m: float, *, crs: CRS | None = None
) -> gpd.GeoDataFrame:
    """Buffer every geometry of *gdf* by *distance_m* metres, in one projection.

    Fine for compact shapes; for long lines use :func:`geodesic_buffer`.

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


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """The area of a longitude/latitude polygon on the WGS84 ellipsoid, in km².

    Parameters
    ----------
    geometry
        A (multi)polygon in EPSG:4326; other parts count zero.

    Returns
    -------
    The area in square kilometres.
    """
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    return abs(_GEOD.geometry_area_perimeter(oriented)[0]) / 1e6
