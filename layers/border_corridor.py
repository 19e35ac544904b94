"""Layer ``border_corridor``: the Iraq-Syria border +/- D km, in the two countries."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely
from pyproj import Geod

from geo.crs import WGS84
from geo.errors import EmptyLayerError
from layers.params import REGION_CRS, LayerInputs, LayerParams

_GEOD = Geod(ellps="WGS84")


def border_line(countries: gpd.GeoDataFrame, a: str = "IRQ", b: str = "SYR"):
    """The boundary shared by countries *a* and *b* (ISO3), merged into lines.

    Raises
    ------
    EmptyLayerError
        If either country is missing or they share no boundary.
    """
    polygons = countries.to_crs(WGS84).set_index("iso_a3").geometry
    if a not in polygons.index or b not in polygons.index:
        raise EmptyLayerError(f"countries layer lacks {a} or {b}")
    shared = shapely.intersection(polygons[a].boundary, polygons[b].boundary)
    lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
    if not lines:
        raise EmptyLayerError(f"{a} and {b} share no boundary in the countries layer")
    return shapely.line_merge(shapely.union_all(lines))


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The border buffered by ``params.corridor_half_width_km`` on each side.

    The border is the boundary the Iraq and Syria polygons share; the buffer is
    made in a metric CRS centred on the border region and kept to the two
    countries.

    Returns
    -------
    One polygon feature (EPSG:4326) with its width, the border length and area.
    """
    countries = inputs.reference.countries
    line = border_line(countries)
    length_km = _GEOD.geometry_length(line) / 1000
    width_m = params.corridor_half_width_km * 1000
    line_proj = gpd.GeoSeries([line], crs=WGS84).to_crs(REGION_CRS).iloc[0]
    both = countries[countries["iso_a3"].isin(["IRQ", "SYR"])].to_crs(REGION_CRS)
    corridor = shapely.intersection(
        shapely.buffer(line_proj, width_m), shapely.union_all(both.geometry.values)
    )
    gdf_proj = gpd.GeoDataFrame(
        {
            "name": ["Iraq-Syria border corridor"],
            "half_width_km": [params.corridor_half_width_km],
            "border_length_km": [round(length_km, 1)],
            "area_km2": [round(corridor.area / 1e6, 1)],
            "derivation": [
                f"Boundary shared by the Natural Earth 10m Iraq and Syria polygons "
                f"({length_km:.1f} km), buffered by {params.corridor_half_width_km:g} "
                "km on each side and kept inside the two countries."
            ],
        },
        geometry=[corridor],
        crs=REGION_CRS,
    )
    return gdf_proj.to_crs(WGS84)
