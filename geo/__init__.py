"""Geometry core: CRS discipline, geodesic shapes, constraint zones, GeoJSON export."""

from geo.crs import (
    WGS84,
    aeqd_crs,
    local_metric_crs,
    require_crs,
    to_metric,
    to_wgs84,
)
from geo.errors import (
    ContradictoryConstraintsError,
    EmptyLayerError,
    InvalidGeometryError,
    MissingCRSError,
    StrikeMapError,
)
from geo.geojson import GEOJSON_MEDIA_TYPE, to_geojson
from geo.shapes import (
    Zone,
    buffer_metric,
    geodesic_area_km2,
    geodesic_buffer,
    geodesic_disc,
    intersect_constraints,
)

__all__ = [
    "GEOJSON_MEDIA_TYPE",
    "WGS84",
    "ContradictoryConstraintsError",
    "EmptyLayerError",
    "InvalidGeometryError",
    "MissingCRSError",
    "StrikeMapError",
    "Zone",
    "aeqd_crs",
    "buffer_metric",
    "geodesic_area_km2",
    "geodesic_buffer",
    "geodesic_disc",
    "intersect_constraints",
    "local_metric_crs",
    "require_crs",
    "to_geojson",
    "to_metric",
    "to_wgs84",
]
