"""Every export carries a manifest that `verify` accepts, and tampering is named."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from layers.__main__ import main
from layers.export import gpkg_facts, layers_zip
from layers.export_kml import document_facts
from layers.registry import LAYER_NAMES
from tests.conftest import ROOT


def _verify(path: Path, capsys) -> tuple[int, str, str]:
    code = main(["verify", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """One folder per format, exported by the command."""
    root = tmp_path_factory.mktemp("exports")
    for fmt in ("geojson", "kml", "gpkg"):
        assert main(["export", "--out", str(root / fmt), "--format", fmt]) == 0
    return root


@pytest.fixture
def folder(exported, tmp_path) -> Path:
    """A writable copy of the GeoJSON export."""
    return Path(shutil.copytree(exported / "geojson", tmp_path / "copy"))


def test_package_lists_every_file_with_sha256_and_size(exported):
    for fmt in ("geojson", "kml", "gpkg"):
        package = json.loads((exported / fmt / "datapackage.json").read_text())
        files = sorted(
            p.name
            for p in (exported / fmt).iterdir()
            if p.name not in ("datapackage.json", "manifest-sha256.txt")
        )
        assert [r["path"] for r in package["resources"]] == files
        for resource in package["resources"]:
            data = (exported / fmt / resource["path"]).read_bytes()
            assert resource["bytes"] == len(data)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["mediatype"] and resource["format"] == fmt
    kml = json.loads((exported / "kml" / "datapackage.json").read_text())
    assert {r["path"] for r in kml["resources"]} == {f"{n}.kml" for n in LAYER_NAMES}


def test_bagit_manifest_agrees_with_sha256sum(exported):
    # The standard tool, not our code, checks the BagIt-style list.
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", "manifest-sha256.txt"],
        cwd=exported / "kml",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "datapackage.json: OK" in result.stdout


def test_package_records_catalogue_tool_settings_and_time(exported, tmp_path):
    package = json.loads((exported / "gpkg" / "datapackage.json").read_text())
    facts = package["strikemap"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert facts["tool"]["version"] == pyproject["project"]["version"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", package["created"])
    rows = {k: t["rows"] for k, t in facts["catalogue"]["tables"].items()}
    shipped = ROOT / "data" / "catalogue"
    # Row counts from the shipped files themselves (header line left out).
    from layers.catalogue import read_catalogue

    catalogue = read_catalogue(shipped)
    assert rows == {
        "events": len(catalogue.events),
        "claims": len(catalogue.claims),
        "sources": len(catalogue.sources),
    }
    # The catalogue hash is sha256sum's over the CSVs `convert` writes.
    assert main(["convert", str(shipped), "--out", str(tmp_path / "c")]) == 0
    listing = "".join(
        f"{hashlib.sha256((tmp_path / 'c' / f).read_bytes()).hexdigest()}  {f}\n"
        for f in ("events.csv", "claims.csv", "sources.csv")
    )
    assert facts["catalogue"]["sha256"] == hashlib.sha256(listing.encode()).hexdigest()
    assert facts["catalogue"]["catalogue_version"] is None  # files, not the team db
    assert facts["settings"]["widths_km"] == {
        "valley_half_width_km": 10.0,
        "corridor_half_width_km": 25.0,
    }
    assert facts["settings"]["format"] == "gpkg"
    assert facts["settings"]["layers"] == list(LAYER_NAMES)


def test_two_exports_differ_only_in_the_export_time(tmp_path):
    for run in ("a", "b"):
        out = tmp_path / run
        args = ["export", "--out", str(out), "--format", "gpkg"]
        assert main([*args, "--layers", "strike_zones,events"]) == 0
    for name in ("layers.gpkg", "manifest-sha256.txt"):
        if name == "manifest-sha256.txt":
            continue  # it lists datapackage.json's hash, which holds the time
        assert (tmp_path / "a" / name).read_bytes() == (
            tmp_path / "b" / name
        ).read_bytes()
    a, b = (json.loads((tmp_path / r / "datapackage.json").read_text()) for r in "ab")
    a.pop("created"), b.pop("created")
    assert a == b
    text_a = (tmp_path / "a" / "datapackage.json").read_text()
    text_b = (tmp_path / "b" / "datapackage.json").read_text()
    strip = re.compile(r'"created": "[^"]*"')
    assert strip.sub("", text_a) == strip.sub("", text_b)


def test_zips_differ_only_in_the_export_time(layers):
    one = layers_zip(layers, exported_at="2026-01-01T00:00:00Z")
    two = layers_zip(layers, exported_at="2026-01-01T00:00:00Z")
    assert one == two  # byte-identical for the same time
    other = zipfile.ZipFile(
        io.BytesIO(layers_zip(layers, exported_at="2027-06-30T12:00:00Z"))
    )
    first = zipfile.ZipFile(io.BytesIO(one))
    assert first.namelist() == other.namelist()
    differ = [n for n in first.namelist() if first.read(n) != other.read(n)]
    assert differ == ["datapackage.json", "manifest-sha256.txt"]
    assert first.read("datapackage.json").replace(b"2026-01-01T00:00:00Z", b"") == (
        other.read("datapackage.json").replace(b"2027-06-30T12:00:00Z", b"")
    )


def test_each_file_carries_the_facts_in_its_own_metadata(exported):
    expected = json.loads((exported / "geojson" / "datapackage.json").read_text())
    facts = expected["strikemap"]
    doc = json.loads((exported / "geojson" / "events.geojson").read_text())
    assert doc["strikemap"]["catalogue"] == facts["catalogue"]
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    kml = (exported / "kml" / "events.kml").read_text()
    assert document_facts(kml)["catalogue"] == facts["catalogue"]
    gpkg = gpkg_facts(exported / "gpkg" / "layers.gpkg")
    assert gpkg["catalogue"] == facts["catalogue"]
    assert gpkg["settings"]["format"] == "gpkg"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL CLI not installed")
def test_gdal_reads_the_geopackage_metadata(exported):
    facts = json.loads((exported / "gpkg" / "datapackage.json").read_text())
    facts = facts["strikemap"]
    # GDAL reads the metadata table too (the GeoPackage metadata extension).
    info = subprocess.run(
        ["ogrinfo", "-so", "-ro", str(exported / "gpkg" / "layers.gpkg")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "GPKG_METADATA_ITEM_1=" in info and facts["catalogue"]["sha256"] in info


def test_verify_accepts_every_fresh_export(exported, capsys, layers, tmp_path):
    for fmt in ("geojson", "kml", "gpkg"):
        code, out, _ = _verify(exported / fmt, capsys)
        assert code == 0 and out.startswith("OK: "), out
    archive = tmp_path / "layers.zip"
    archive.write_bytes(layers_zip(layers))
    code, out, _ = _verify(archive, capsys)
    assert code == 0 and "all 20 files match" in out


@pytest.mark.parametrize(
    "name", ["events.geojson", "countries.geojson", "datapackage.json"]
)
def test_one_changed_byte_is_named(folder, capsys, name):
    path = folder / name
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] = ord("0") if data[middle] != ord("0") else ord("1")
    path.write_bytes(bytes(data))
    code, out, err = _verify(folder, capsys)
    assert code != 0
    assert f"altered: {name}" in out + err or (
        name == "datapackage.json" and "datapackage.json" in err
    )


def test_one_changed_byte_in_the_hash_list_is_named(folder, capsys):
    path = folder / "manifest-sha256.txt"
    text = path.read_text()
    flipped = "1" if text[10] != "1" else "2"
    path.write_text(text[:10] + flipped + text[11:])
    code, out, _ = _verify(folder, capsys)
    assert code == 1
    assert "altered: manifest-sha256.txt" in out or "altered: datapackage.json" in out


def test_every_byte_of_a_small_file_is_covered(folder, capsys):
    # Every single-byte change to the smallest data file fails verification.
    name = min(
        (p for p in folder.iterdir() if p.suffix == ".geojson"),
        key=lambda p: p.stat().st_size,
    ).name
    original = (folder / name).read_bytes()
    for index in range(0, len(original), max(1, len(original) // 40)):
        changed = bytearray(original)
        changed[index] ^= 0x01
        (folder / name).write_bytes(bytes(changed))
        code, out, _ = _verify(folder, capsys)
        assert code == 1 and f"altered: {name}" in out
    (folder / name).write_bytes(original)
    assert _verify(folder, capsys)[0] == 0


def test_added_and_removed_files_are_named(folder, capsys):
    (folder / "extra.txt").write_text("not part of the export")
    (folder / "places.geojson").unlink()
    code, out, _ = _verify(folder, capsys)
    assert code == 1
    assert "extra: extra.txt" in out and "missing: places.geojson" in out
    assert "FAILED" in out and "1 missing" in out and "1 extra" in out


def test_removed_hash_list_is_named(folder, capsys):
    (folder / "manifest-sha256.txt").unlink()
    code, out, _ = _verify(folder, capsys)
    assert code == 1 and "missing: manifest-sha256.txt" in out


def test_tampered_zip_is_named(layers, tmp_path, capsys):
    source = zipfile.ZipFile(io.BytesIO(layers_zip(layers)))
    target = tmp_path / "tampered.zip"
    with zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "strike_zones.kml":
                data = data.replace(b"Brigade", b"Brigadf", 1)
            if name != "places.geojson":
                out.writestr(name, data)
        out.writestr("../escape.txt", b"x")
    code, text, _ = _verify(target, capsys)
    assert code == 1
    assert "altered: strike_zones.kml" in text
    assert "missing: places.geojson" in text
    assert "extra: ../escape.txt" in text


@pytest.mark.parametrize(
    ("package", "message"),
    [
        (b"{not json", "not valid JSON (line 1"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "no 'resources' list"),
        (
            b'{"resources": [{"path": "../x", "bytes": 1, "hash": "sha256:'
            + b"a" * 64
            + b'"}]}',
            "leaves the package",
        ),
        (
            b'{"resources": [{"path": "/etc/passwd", "bytes": 1, "hash": "sha256:'
            + b"a" * 64
            + b'"}]}',
            "is absolute",
        ),
        (
            b'{"resources": [{"path": "C:/x", "bytes": 1, "hash": "sha256:'
            + b"a" * 64
            + b'"}]}',
            "is absolute",
        ),
        (
            b'{"resources": [{"path": "a.kml", "bytes": 1, "hash": "md5:abc"}]}',
            "'hash' must be",
        ),
        (
            b'{"resources": [{"path": "a.kml", "bytes": -1, "hash": "sha256:'
            + b"a" * 64
            + b'"}]}',
            "'bytes' must be",
        ),
        (b'{"resources": ["a.kml"]}', "expected an object"),
    ],
)
def test_hostile_manifest_is_a_clear_error(tmp_path, capsys, package, message):
    (tmp_path / "datapackage.json").write_bytes(package)
    code, out, err = _verify(tmp_path, capsys)
    assert code == 2
    assert message in err and err.startswith("error: ")
    assert "Traceback" not in out + err


def test_not_a_package_is_a_clear_error(tmp_path, capsys):
    assert _verify(tmp_path / "nowhere", capsys)[0] == 2
    (tmp_path / "x.zip").write_bytes(b"PK not a zip")
    code, _, err = _verify(tmp_path / "x.zip", capsys)
    assert code == 2 and "not a readable zip" in err
    code, _, err = _verify(tmp_path, capsys)
    assert code == 2 and "no datapackage.json" in err


def test_verify_runs_as_a_command(exported):
    result = subprocess.run(
        [sys.executable, "-m", "layers", "verify", str(exported / "kml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("OK: ")


def test_export_into_a_used_folder_warns(tmp_path, capsys):
    (tmp_path / "old.geojson").write_text("{}")
    assert main(["export", "--out", str(tmp_path), "--layers", "countries"]) == 0
    assert "old.geojson" in capsys.readouterr().out
    code, out, _ = _verify(tmp_path, capsys)
    assert code == 1 and "extra: old.geojson" in out


def test_gpkg_metadata_is_registered_as_an_extension(exported):
    with sqlite3.connect(exported / "gpkg" / "layers.gpkg") as db:
        rows = db.execute(
            "SELECT table_name FROM gpkg_extensions"
            " WHERE extension_name = 'gpkg_metadata'"
        ).fetchall()
    assert {r[0] for r in rows} == {"gpkg_metadata", "gpkg_metadata_reference"}
