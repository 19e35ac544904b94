"""Independent geodesic measurements for the tests: pyproj.Geod only.

Nothing here uses the project's projections or buffers: lines are sampled
densely in longitude/latitude (the line GeoJSON means) and every distance is
a WGS84 geodesic computed by ``pyproj.Geod``.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
#: Spacing of the samples along a line, in degrees (about 100 m): the nearest
#: sample is then at most 0.13 m farther than the line at a 10 km distance.
LINE_STEP_DEG = 0.001
#: Spacing of the samples along an edge, in degrees (about 200 m).
EDGE_STEP_DEG = 0.002


def sample_coords(geometry: shapely.Geometry, step_deg: float) -> np.ndarray:
    """Points every *step_deg* degrees along the lines or rings of *geometry*."""
    dense = shapely.segmentize(
        shapely.boundary(geometry)
        if shapely.get_type_id(geometry) in (3, 6)
        else geometry,
        step_deg,
    )
    return shapely.get_coordinates(dense)


def distance_to_line_m(
    points: np.ndarray, line: shapely.Geometry, reach_m: float
) -> np.ndarray:
    """Geodesic distance (m) from each lon/lat point to *line*, up to *reach_m*.

    Points farther than about *reach_m* from the line get ``inf``.
    """
    samples = sample_coords(line, LINE_STEP_DEG)
    tree = shapely.STRtree(shapely.points(samples))
    # A degree of longitude is at least 85 km below 40N: a generous window.
    window = reach_m / 85_000
    idx_points, idx_samples = tree.query(
        shapely.points(points), distance=window, predicate="dwithin"
    )
    _, _, dist = GEOD.inv(
        points[idx_points, 0],
        points[idx_points, 1],
        samples[idx_samples, 0],
        samples[idx_samples, 1],
    )
    out = np.full(len(points), np.inf)
    np.minimum.at(out, idx_points, dist)
    return out


def edge_distances_m(
    area: shapely.Geometry,
    line: shapely.Geometry,
    width_m: float,
    *,
    cut_by: shapely.Geometry | None = None,
    clearance_deg: float = 0.003,
) -> np.ndarray:
    """Geodesic distance from the edge of *area* to *line*, along the whole edge.

    Edge points within *clearance_deg* of the boundary of *cut_by* (where the
    area was cut to governorates or countries, not by the width) are left out.
    """
    points = sample_coords(area, EDGE_STEP_DEG)
    if cut_by is not None:
        cut = shapely.boundary(cut_by)
        shapely.prepare(cut)
        near_cut = shapely.dwithin(shapely.points(points), cut, clearance_deg)
        points = points[~near_cut]
    # An edge point farther than 1 % beyond the width gets inf: a failure.
    return distance_to_line_m(points, line, width_m * 1.01)
