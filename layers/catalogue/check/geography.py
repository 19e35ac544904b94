"""Where positions may lie: the region, its countries and governorates, in metres.

Checks are vectorised over events and loop only over the reference areas: a
point is tested against the one area its row names (prepared polygons), and
only points outside it are measured, geodesically, to the area's nearest point.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from layers.catalogue.reference import Reference, read_reference

_GEOD = Geod(ellps="WGS84")
#: Point-vertex pairs measured at once by :func:`reach_m`.
_PAIRS = 1_000_000


@dataclass(frozen=True)
class Areas:
    """The reference areas positions are checked against (EPSG:4326).

    Attributes
    ----------
    countries
        ISO 3166 alpha-3 code to outline.
    admin1
        (ISO3, governorate name) to outline.
    bounds
        (west, south, east, north) of all countries: the region a catalogue
        may describe.
    metric
        A Lambert azimuthal equal-area CRS centred on the region, where
        nearest points are found before measuring on the ellipsoid.
    """

    countries: dict[str, shapely.Geometry]
    admin1: dict[tuple[str, str], shapely.Geometry]
    bounds: tuple[float, float, float, float]
    metric: CRS

    def admin1_names(self, iso3: str) -> tuple[str, ...]:
        """The governorates the reference data has for *iso3* (may be none)."""
        return tuple(sorted(name for code, name in self.admin1 if code == iso3))

    def inside_region(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Where (lon, lat) lies within the region's bounds."""
        west, south, east, north = self.bounds
        return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)

    def distance_m(
        self, shape: shapely.Geometry, lon: np.ndarray, lat: np.ndarray
    ) -> np.ndarray:
        """Metres from each (lon, lat) to *shape*: 0 inside, else to its nearest point.

        The nearest point is found in the region's metric CRS and the distance
        to it measured on the WGS84 ellipsoid, so a point is never reported
        closer than it is.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        out = np.zeros(lon.shape)
        if lon.size == 0:
            return out
        shapely.prepare(shape)
        outside = ~shapely.contains_xy(shape, lon, lat)
        if not outside.any():
            return out
        forward = Transformer.from_crs("EPSG:4326", self.metric, always_xy=True)
        shape_proj = shapely.transform(
            shape, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
        )
        x, y = forward.transform(lon[outside], lat[outside])
        lines = shapely.shortest_line(shape_proj, shapely.points(x, y))
        near = shapely.get_coordinates(shapely.get_point(lines, 0))
        near_lon, near_lat = forward.transform(
            near[:, 0], near[:, 1], direction="INVERSE"
        )
        _, _, metres = _GEOD.inv(lon[outside], lat[outside], near_lon, near_lat)
        out[outside] = metres
        return out


def reach_m(shape: shapely.Geometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Metres from each (lon, lat) to the farthest vertex of *shape*, on the ellipsoid.

    Measured once per distinct point (rows of one province share its anchor),
    in chunks of about a million point-vertex pairs.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    xy = shapely.get_coordinates(shape)
    if lon.size == 0 or len(xy) == 0:
        return np.zeros(lon.shape)
    points, inverse = np.unique(
        np.column_stack([lon, lat]), axis=0, return_inverse=True
    )
    out = np.empty(len(points))
    step = max(1, _PAIRS // len(xy))
    for start in range(0, len(points), step):
        chunk = points[start : start + step]
        point = np.repeat(np.arange(len(chunk)), len(xy))
        vertex = np.tile(np.arange(len(xy)), len(chunk))
        _, _, metres = _GEOD.inv(
            chunk[point, 0], chunk[point, 1], xy[vertex, 0], xy[vertex, 1]
        )
        out[start : start + step] = metres.reshape(len(chunk), len(xy)).max(axis=1)
    return out[inverse.ravel()]


def areas_from(reference: Reference) -> Areas:
    """The areas of *reference*: countries by ISO3, governorates by (ISO3, name).

    Parameters
    ----------
    reference
        The reference layers.

    Returns
    -------
    The areas, with the region's bounds and a metric CRS centred on it.
    """
    countries = reference.countries.to_crs("EPSG:4326")
    admin1 = reference.admin1.to_crs("EPSG:4326")
    by_country = {
        str(code): shapely.union_all(group.geometry.values)
        for code, group in countries.groupby("iso_a3")
    }
    by_admin1 = {
        (str(code), str(name)): shapely.union_all(group.geometry.values)
        for (code, name), group in admin1.groupby(["iso_a3", "name"])
    }
    west, south, east, north = (float(v) for v in countries.total_bounds)
    metric = CRS.from_proj4(
        f"+proj=laea +lat_0={(south + north) / 2} +lon_0={(west + east) / 2} "
        "+datum=WGS84 +units=m +no_defs"
    )
    return Areas(by_country, by_admin1, (west, south, east, north), metric)


@lru_cache(maxsize=1)
def shipped_areas() -> Areas:
    """The areas of the shipped reference data (read once; do not modify)."""
    return areas_from(read_reference())
