"""Hostile files through the upload path, the command line and the page.

Each file of ``tests/hostile_files.py`` is generated in a temporary folder and
read as an upload. A refusal must name the file and the reason, never be a
traceback, never read another file or open a connection, and leave the
test process (the "server") near the memory it had before; where the worker
process stopped a file, the test checks it was the worker's limit that did.
"""

from __future__ import annotations

import gc
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pyproj import Transformer

from layers import __main__ as cli
from layers.catalogue import limits, read_upload
from layers.catalogue.errors import CatalogueError
from layers.catalogue.isolation import WorkerLimitError, read_isolated
from tests import hostile_files as hostile
from tests.conftest import ROOT

#: The worker's deadline in these tests (the product's is ``LIMITS.seconds``).
TEST_SECONDS = 6.0
#: How much the test process may grow reading one hostile file.
RSS_SLACK_MB = 150
NAMES = {build: build.__name__ for build in hostile.CORPUS}


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(s for s in status.splitlines() if s.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket on 127.0.0.1 that records whether anything connected."""
    server = socket.socket()
    server.bind((hostile.LISTEN_HOST, 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "LIMITS", replace(limits.LIMITS, seconds=TEST_SECONDS))


@pytest.fixture(scope="module")
def warm() -> None:
    """Read one good file first, so imports do not count as growth."""
    read_upload("events.geojson", (hostile.IMPORTS / "events.geojson").read_bytes())


def _build(build, folder: Path, listener: socket.socket) -> Path:
    if build in hostile.NETWORK:
        return build(folder, port=listener.getsockname()[1])
    return build(folder)


def _nothing_connected(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return True
    return False


@pytest.mark.parametrize("build", list(hostile.CORPUS), ids=NAMES.get)
def test_hostile_upload_is_read_or_named(
    build, tmp_path, listener, short_deadline, warm
):
    path = _build(build, tmp_path, listener)
    data = path.read_bytes()
    gc.collect()
    before = _rss_mb()
    expected = hostile.CORPUS[build]
    if expected is None:
        assert len(read_upload(path.name, data).events) >= 1
    else:
        with pytest.raises(CatalogueError) as info:
            read_upload(path.name, data)
        message = str(info.value)
        assert path.name in message
        assert expected in message
        assert "Traceback" not in message
        assert "root:" not in message  # nothing of /etc/passwd
    del data
    gc.collect()
    assert _rss_mb() - before < RSS_SLACK_MB
    assert _nothing_connected(listener)


def test_a_slow_view_is_stopped_by_the_workers_deadline(tmp_path, short_deadline):
    path = hostile.gpkg_slow_view(tmp_path)
    with pytest.raises(WorkerLimitError) as info:
        read_upload(path.name, path.read_bytes())
    assert info.value.limit == "seconds"
    assert f"took longer than {TEST_SECONDS:g} s to read" in str(info.value)


def test_a_view_that_allocates_is_stopped_by_the_workers_memory_limit(tmp_path):
    path = hostile.gpkg_heavy_view(tmp_path)
    with pytest.raises(WorkerLimitError) as info:
        read_upload(path.name, path.read_bytes())
    assert info.value.limit == "memory"
    assert f"more than {limits.LIMITS.memory_mb:,} MB to read" in str(info.value)


def test_a_kmz_bomb_stops_at_the_unpacked_limit_inside_the_worker(tmp_path):
    path = hostile.kmz_bomb(tmp_path)
    assert path.stat().st_size < 2 * limits.MB  # 1 GB inside about 1 MB
    with pytest.raises(CatalogueError, match="unpacks to more than 200 MB"):
        read_isolated("kmz", path.read_bytes(), name=path.name)


def test_worker_reads_within_its_memory(tmp_path):
    path = hostile.kml_folders(tmp_path)
    reading = read_isolated("kml", path.read_bytes(), name=path.name)
    assert len(reading.frame) == 2_000
    assert 0 < reading.peak_mb < limits.LIMITS.memory_mb


def test_legacy_crs_is_honoured_as_web_mercator(tmp_path):
    path = hostile.geojson_epsg3857(tmp_path)
    event = read_upload(path.name, path.read_bytes()).events.iloc[0]
    # The same point, projected and back by PROJ itself.
    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    back = Transformer.from_crs(3857, 4326, always_xy=True)
    lon, lat = back.transform(*to_merc.transform(42.433333, 33.8))
    assert abs(event["lon"] - lon) < 1e-6 and abs(event["lat"] - lat) < 1e-6


@pytest.mark.parametrize(
    "build", [hostile.acled_utf16, hostile.acled_cp1252, hostile.acled_semicolon]
)
def test_spreadsheet_csv_encodings_read_as_the_utf8_file(build, tmp_path):
    original = hostile.IMPORTS / "acled_strikes.csv"
    expected = read_upload(original.name, original.read_bytes()).events
    path = build(tmp_path)
    events = read_upload(path.name, path.read_bytes()).events
    assert events["event_id"].tolist() == expected["event_id"].tolist()
    assert events["lat"].tolist() == expected["lat"].tolist()
    if build is hostile.acled_cp1252:
        assert events["description"].str.contains("Café – “quoted”").all()


def test_text_in_another_code_page_is_named_not_garbled():
    text = (hostile.IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8")
    arabic = text.replace("Reuters", "غارة جوية").encode("cp1256")
    with pytest.raises(CatalogueError, match="arabic.csv: not a UTF-8 text file"):
        read_upload("arabic.csv", arabic)


@pytest.mark.parametrize(
    "build",
    [
        hostile.vrt_passwd,
        hostile.kmz_members,
        hostile.zip_bad_crc,
        hostile.geojson_deep,
    ],
    ids=NAMES.get,
)
def test_command_line_names_the_file_and_exits_non_zero(build, tmp_path, capsys):
    path = build(tmp_path)
    status = cli.main(
        ["export", "--catalogue", str(path), "--out", str(tmp_path / "out")]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert str(path) in err and hostile.CORPUS[build] in err
    assert "Traceback" not in err


def test_command_line_process_prints_no_traceback(tmp_path):
    path = hostile.gpkg_heavy_view(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "layers",
            "convert",
            str(path),
            "--out",
            str(tmp_path / "o"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "heavy_view.gpkg" in done.stderr and "MB to read" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (hostile.vrt_passwd, "GDAL virtual dataset"),
        (hostile.gpkg_heavy_view, f"more than {limits.LIMITS.memory_mb:,} MB to read"),
    ],
    ids=["vrt", "memory"],
)
def test_page_names_a_refused_upload_and_keeps_the_map(build, words, tmp_path):
    from tests.test_dashboard import _map_script, _run, _timeline_count, _upload

    at = _run()
    before = _timeline_count(at)
    at = _upload(at, build(tmp_path))
    assert not at.exception
    message = at.sidebar.error[0].value
    assert "was not loaded; the map shows what was loaded before" in message
    assert words in message
    assert _timeline_count(at) == before
    assert _map_script(at)


def test_readme_lists_the_limits_in_force():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for what, value in limits.limits_table():
        assert f"| {what} | {value} |" in readme


def test_a_file_waits_for_a_free_worker_then_is_named_busy():
    from layers.catalogue.isolation import _slots

    tight = replace(limits.LIMITS, workers=1, seconds=0.5)
    slots = _slots(tight)
    slots.acquire()  # another session's file holds the only worker
    try:
        with pytest.raises(WorkerLimitError) as info:
            read_isolated("kml", b"<kml/>", name="queued.kml", limits=tight)
    finally:
        slots.release()
    assert info.value.limit == "busy" and "queued.kml" in str(info.value)
    reading = read_isolated(
        "kml",
        (hostile.IMPORTS / "events.kml").read_bytes(),
        name="events.kml",
        limits=replace(tight, seconds=limits.LIMITS.seconds),  # the same one slot
    )
    assert len(reading.frame) == 3


def test_each_format_is_opened_by_its_one_driver_only():
    geojson = (hostile.IMPORTS / "events.geojson").read_bytes()
    assert len(read_isolated("geojson", geojson, name="events.geojson").frame) >= 1
    with pytest.raises(CatalogueError, match="GPKG driver does not recognise it"):
        read_isolated("gpkg", geojson, name="events.geojson")


def test_the_worker_inherits_no_secrets_and_no_network(monkeypatch):
    from layers.catalogue.isolation import worker_environment

    monkeypatch.setenv("DATABASE_URL", "postgresql://user:secret@db/strikes")
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    env = worker_environment("gpkg")
    assert "DATABASE_URL" not in env and "https_proxy" not in env
    skipped = set(env["GDAL_SKIP"].split(","))
    assert "GPKG" not in skipped and {"GeoJSON", "OGR_VRT", "CSV", "SQLite"} <= skipped
    assert env["OGR_SQLITE_ALLOW_EXTERNAL_ACCESS"] == "NO"
