"""A corpus of hostile files, generated at test time (nothing large is committed).

Each builder writes one file into a folder and returns its path. The files
attack the readers, not the text checks: files that name other files or URLs
(VRT, ``/vsicurl/``, KML links, GeoJSON ``crs`` links), archives that unpack to
far more than they weigh or hold too many members, GeoPackage views that
refer to themselves, loop or allocate without end, damaged zips, impossible
dates, deep nesting, huge cells, geometries of too many vertices, and CSV
files in the encodings and with the separators spreadsheets really write.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from tests.conftest import DATA

#: An address where nothing should ever connect (the tests listen there).
LISTEN_HOST = "127.0.0.1"
IMPORTS = DATA / "imports"
_POINT = {"type": "Point", "coordinates": [42.433333, 33.8]}


def _feature(properties: dict, geometry: dict | None = None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry or _POINT}


def _geojson(folder: Path, name: str, features: list[dict], **extra: object) -> Path:
    path = folder / name
    document = {"type": "FeatureCollection", **extra, "features": features}
    path.write_text(json.dumps(document))
    return path


def vrt_passwd(folder: Path, port: int = 9) -> Path:
    """A GDAL VRT reading /etc/passwd, with ``<kml>`` in a comment to pass as KML."""
    path = folder / "passwd.kml"
    path.write_text(
        "<OGRVRTDataSource><!-- <kml> --><OGRVRTLayer name='passwd'>"
        "<SrcDataSource>CSV:/etc/passwd</SrcDataSource></OGRVRTLayer>"
        "</OGRVRTDataSource>"
    )
    return path


def vrt_vsicurl(folder: Path, port: int = 9) -> Path:
    """A GDAL VRT whose source is ``/vsicurl/`` on this machine."""
    path = folder / "vsicurl.kml"
    path.write_text(
        "<OGRVRTDataSource><!-- <kml> --><OGRVRTLayer name='x'><SrcDataSource>"
        f"/vsicurl/http://{LISTEN_HOST}:{port}/events.csv</SrcDataSource>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    )
    return path


def kml_network_link(folder: Path, port: int = 9) -> Path:
    """A KML with a NetworkLink and a style icon on this machine."""
    path = folder / "link.kml"
    url = f"http://{LISTEN_HOST}:{port}/more.kml"
    path.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Style><IconStyle><Icon><href>{url}</href></Icon></IconStyle></Style>"
        f"<NetworkLink><Link><href>{url}</href></Link></NetworkLink>"
        "<Placemark><name>Ain al-Asad</name><TimeStamp><when>2020-01-08</when>"
        "</TimeStamp><Point><coordinates>42.433333,33.8</coordinates></Point>"
        "</Placemark></Document></kml>"
    )
    return path


def geojson_crs_link(folder: Path, port: int = 9) -> Path:
    """A GeoJSON whose legacy ``crs`` member links to this machine."""
    crs = {"type": "link", "properties": {"href": f"http://{LISTEN_HOST}:{port}/crs"}}
    feature = _feature({"date": "2020-01-08"})
    return _geojson(folder, "crs_link.geojson", [feature], crs=crs)


def geojson_epsg3857(folder: Path) -> Path:
    """Ain al-Asad in Web Mercator, named by a legacy ``crs`` member."""
    x, y = gpd.GeoSeries([Point(42.433333, 33.8)], crs=4326).to_crs(3857)[0].coords[0]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    feature = _feature(
        {"date": "2020-01-08", "event_id": "MERC-1"},
        {"type": "Point", "coordinates": [x, y]},
    )
    return _geojson(folder, "mercator.geojson", [feature], crs=crs)


def kml_entities(folder: Path) -> Path:
    """A "billion laughs" KML: entities that expand to gigabytes."""
    lines = ['<!ENTITY a0 "ha">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path = folder / "laughs.kml"
    path.write_text(
        f"<?xml version='1.0'?><!DOCTYPE kml [{''.join(lines)}]>"
        "<kml><Document><Placemark><name>&a9;</name></Placemark></Document></kml>"
    )
    return path


def kml_xxe(folder: Path) -> Path:
    """A KML whose entity would pull in /etc/passwd (XML external entity)."""
    path = folder / "xxe.kml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kml><Document><Placemark><name>&x;</name><TimeStamp><when>2020-01-08"
        "</when></TimeStamp><Point><coordinates>42.4,33.8</coordinates></Point>"
        "</Placemark></Document></kml>"
    )
    return path


def _placemark(i: int) -> str:
    return (
        f"<Placemark><name>Strike {i}</name><TimeStamp><when>2020-01-08</when>"
        "</TimeStamp><Point><coordinates>42.433333,33.8</coordinates></Point>"
        "</Placemark>"
    )


def kml_folders(folder: Path, count: int = 2_000) -> Path:
    """A KML of *count* folders of one placemark each (valid)."""
    body = "".join(
        f"<Folder><name>f{i}</name>{_placemark(i)}</Folder>" for i in range(count)
    )
    path = folder / "folders.kml"
    path.write_text(
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    )
    return path


def kml_deep(folder: Path, depth: int = 5_000) -> Path:
    """A KML of folders nested *depth* deep."""
    path = folder / "deep.kml"
    path.write_text("<kml>" + "<Folder>" * depth + "</Folder>" * depth + "</kml>")
    return path


def kmz_bomb(folder: Path, unpacked_mb: int = 1_024) -> Path:
    """A KMZ of about 1 MB whose ``doc.kml`` unpacks to *unpacked_mb* MB."""
    path = folder / "bomb.kmz"
    chunk = b" " * (1 << 20)
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    with archive, archive.open("doc.kml", "w", force_zip64=True) as member:
        member.write(b"<kml><Document>")
        for _ in range(unpacked_mb):
            member.write(chunk)
        member.write(b"</Document></kml>")
    return path


def kmz_members(folder: Path, count: int = 10_000) -> Path:
    """A KMZ of *count* small KML members."""
    path = folder / "members.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            archive.writestr(
                f"part{i}.kml", f"<kml><Document>{_placemark(i)}</Document></kml>"
            )
    return path


def zip_bomb(folder: Path, unpacked_mb: int = 1_024) -> Path:
    """A catalogue zip of about 1 MB whose events.csv unpacks to 1 GB."""
    path = folder / "bomb.zip"
    chunk = b"x" * (1 << 20)
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    with archive:
        with archive.open("events.csv", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
        archive.writestr("claims.csv", "")
        archive.writestr("sources.csv", "")
    return path


def sqlite_not_gpkg(folder: Path) -> Path:
    """A plain SQLite database (not a GeoPackage) with a table of text."""
    path = folder / "plain.gpkg"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (a TEXT)")
        con.execute("INSERT INTO t VALUES ('x')")
    return path


def zip_bad_crc(folder: Path) -> Path:
    """A catalogue zip whose events.csv fails its checksum."""
    path = folder / "bad_crc.zip"
    catalogue = DATA.parent.parent / "data" / "catalogue"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name in ("events.csv", "claims.csv", "sources.csv"):
            archive.write(catalogue / name, name)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"event_id") + 2  # inside events.csv's stored bytes
    raw[at] ^= 0x20
    path.write_bytes(bytes(raw))
    return path


def _gpkg_with_view(folder: Path, name: str, sql: str) -> Path:
    path = folder / name
    gpd.GeoDataFrame(
        {"title": ["Ain al-Asad"], "date_start": ["2020-01-08"]},
        geometry=[Point(42.433333, 33.8)],
        crs="EPSG:4326",
    ).to_file(path, driver="GPKG", layer="events", engine="pyogrio")
    with sqlite3.connect(path) as con:
        con.execute(f"CREATE VIEW hostile AS {sql}")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('hostile', 'features', 'hostile', 4326)"
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES "
            "('hostile', 'geom', 'POINT', 4326, 0, 0)"
        )
    return path


_ROWS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r{limit}) "
_GEOM = "(SELECT geom FROM events LIMIT 1) AS geom"


def gpkg_self_view(folder: Path) -> Path:
    """A GeoPackage whose feature view selects from itself."""
    return _gpkg_with_view(folder, "self_view.gpkg", "SELECT * FROM hostile")


def gpkg_endless_view(folder: Path) -> Path:
    """A GeoPackage whose feature view has no end (a recursive query)."""
    sql = _ROWS.format(limit="") + f"SELECT i AS fid, {_GEOM}, 'x' AS title FROM r"
    return _gpkg_with_view(folder, "endless_view.gpkg", sql)


def gpkg_slow_view(folder: Path) -> Path:
    """A GeoPackage whose view counts to a billion before its first row."""
    sql = (
        _ROWS.format(limit=" LIMIT 1000000000")
        + f"SELECT (SELECT count(*) FROM r) AS fid, {_GEOM}, 'x' AS title"
    )
    return _gpkg_with_view(folder, "slow_view.gpkg", sql)


def gpkg_heavy_view(folder: Path) -> Path:
    """A GeoPackage whose view makes 200 rows of 40 MB of text each."""
    sql = _ROWS.format(limit=" LIMIT 200") + (
        f"SELECT i AS fid, {_GEOM}, hex(zeroblob(20000000)) AS title FROM r"
    )
    return _gpkg_with_view(folder, "heavy_view.gpkg", sql)


def geojson_bad_date(folder: Path) -> Path:
    """A GeoJSON event on 30 February 2024."""
    return _geojson(folder, "feb30.geojson", [_feature({"date": "2024-02-30"})])


def geojson_deep(folder: Path, depth: int = 100_000) -> Path:
    """A GeoJSON whose property nests arrays *depth* deep."""
    path = folder / "deep.geojson"
    nested = "[" * depth + "]" * depth
    feature = json.dumps(_feature({"date": "2020-01-08", "x": 0}))
    path.write_text(
        '{"type":"FeatureCollection","features":['
        + feature.replace('"x": 0', f'"x": {nested}')
        + "]}"
    )
    return path


def geojson_huge_cell(folder: Path) -> Path:
    """A GeoJSON whose title is a million characters."""
    feature = _feature({"date": "2020-01-08", "title": "A" * 1_000_000})
    return _geojson(folder, "huge_cell.geojson", [feature])


def geojson_many_properties(folder: Path) -> Path:
    """A GeoJSON feature with 1,000 properties."""
    properties = {f"p{i}": i for i in range(1_000)} | {"date": "2020-01-08"}
    return _geojson(folder, "many_properties.geojson", [_feature(properties)])


def geojson_vertices(folder: Path, count: int = 300_000) -> Path:
    """A GeoJSON line of *count* vertices."""
    line = {
        "type": "LineString",
        "coordinates": [[42 + i * 1e-6, 33.8] for i in range(count)],
    }
    feature = _feature({"date": "2020-01-08"}, line)
    return _geojson(folder, "vertices.geojson", [feature])


def geojson_features(folder: Path, count: int = 100_001) -> Path:
    """A GeoJSON of *count* points (one more than the limit)."""
    feature = json.dumps(_feature({"date": "2020-01-08"}))
    path = folder / "features.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[' + ",".join([feature] * count) + "]}"
    )
    return path


def acled_utf16(folder: Path) -> Path:
    """The ACLED sample as "Unicode text" from a spreadsheet: UTF-16, tabs."""
    text = (IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8")
    frame = _csv_frame(text)
    path = folder / "acled_utf16.csv"
    path.write_bytes(frame.to_csv(sep="\t", index=False).encode("utf-16"))
    return path


def acled_cp1252(folder: Path) -> Path:
    """The ACLED sample saved as Windows-1252, with an accented note."""
    frame = _csv_frame((IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8"))
    frame["notes"] = frame["notes"] + " Café – “quoted”"
    path = folder / "acled_cp1252.csv"
    path.write_bytes(frame.to_csv(index=False).encode("cp1252", "replace"))
    return path


def acled_semicolon(folder: Path) -> Path:
    """The ACLED sample as a semicolon-separated CSV (comma-decimal locales)."""
    frame = _csv_frame((IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8"))
    path = folder / "acled_semicolon.csv"
    path.write_text(frame.to_csv(sep=";", index=False), encoding="utf-8-sig")
    return path


def _csv_frame(text: str):
    import io

    import pandas as pd

    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


#: Every builder that takes a port (it names a URL on this machine).
NETWORK = (vrt_vsicurl, kml_network_link, geojson_crs_link)
#: Builder -> what the message must say (a refusal), or None (reads).
CORPUS: dict[Callable[..., Path], str | None] = {
    vrt_passwd: "GDAL virtual dataset (VRT)",
    vrt_vsicurl: "GDAL virtual dataset (VRT)",
    kml_network_link: None,
    geojson_crs_link: "legacy 'crs' member",
    geojson_epsg3857: None,
    kml_entities: "declares a DTD or entities",
    kml_xxe: "declares a DTD or entities",
    kml_folders: None,
    kml_deep: "nests elements deeper than 32 levels",
    kmz_bomb: "unpacks to more than 200 MB",
    kmz_members: "holds 10,000 entries; an archive may hold at most 1,000",
    zip_bad_crc: "checksum (CRC) does not match",
    zip_bomb: "unpacks to more than 200 MB",
    sqlite_not_gpkg: "cannot be read as GeoPackage",
    gpkg_self_view: "circularly defined",
    gpkg_endless_view: "holds more than 100,000 features",
    gpkg_slow_view: "took longer than",
    gpkg_heavy_view: "MB to read",
    geojson_bad_date: "feature 1, column 'date': '2024-02-30' is not a date",
    geojson_deep: "nests objects and arrays 100004 deep",
    geojson_huge_cell: "holds 1,000,000 characters",
    geojson_many_properties: "properties per feature",
    geojson_vertices: "300,000 positions in one geometry",
    geojson_features: "holds more than 100,000 features",
    acled_utf16: None,
    acled_cp1252: None,
    acled_semicolon: None,
}
