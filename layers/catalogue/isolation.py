"""Read a vector file in a worker process that a hostile file can only cost itself.

GDAL and SQLite cannot be bounded from inside: a file can make them allocate
gigabytes or loop. So a GeoJSON, GeoPackage, KML or KMZ file is read by
``python -m layers.catalogue.worker``, a fresh process that

- gets the bytes on stdin and gives back the features as GeoParquet on stdout
  (nothing is written to disk: GDAL reads from ``/vsimem/``);
- holds itself to ``Limits.memory_mb`` of address space and is killed by this
  side at ``Limits.seconds``;
- runs with an environment holding no secrets (no database URL, no tokens),
  with every GDAL driver skipped but the detected format's and GDAL's network
  access turned off (``worker_environment``).

A worker that runs out of time or memory, or dies, becomes a
:class:`WorkerLimitError` naming the file and the limit; the server goes on.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd

from layers.catalogue import limits as limits_module
from layers.catalogue.errors import CatalogueError
from layers.catalogue.limits import Limits

ROOT = Path(__file__).resolve().parents[2]
#: Environment variables a worker keeps (what Python, PROJ and GDAL need).
KEPT_ENVIRONMENT = (
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "PROJ_DATA",
    "PROJ_LIB",
    "GDAL_DATA",
)
#: GDAL and allocator settings of every worker (``GDAL_SKIP`` added per format).
WORKER_SETTINGS = {
    # No network: /vsicurl/ opens no extension, no retries, 1 s timeouts.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    # SQLite/GeoPackage: no ATTACH or file-reading SQL functions in views,
    # temporary tables in memory.
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "OGR_SQLITE_PRAGMA": "temp_store=MEMORY",
    # No sidecar files (.aux.xml), no Python in VRTs, small caches, one thread.
    "GDAL_PAM_ENABLED": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "OGR_GEOJSON_MAX_OBJ_SIZE": "64",
    "GDAL_CACHEMAX": "64",
    "GDAL_NUM_THREADS": "1",
    "OGR_GPKG_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def _slots(limits: Limits) -> threading.BoundedSemaphore:
    """The server-wide semaphore of ``limits.workers`` worker slots."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(
            limits.workers, threading.BoundedSemaphore(limits.workers)
        )


class WorkerLimitError(CatalogueError):
    """The worker reading a file hit its time or memory limit, or died.

    ``limit`` is ``"seconds"``, ``"memory"``, ``"crash"`` or ``"busy"``.
    """

    def __init__(self, path: str, problem: str, *, limit: str) -> None:
        super().__init__(path, problem)
        self.limit = limit


@dataclass(frozen=True)
class Reading:
    """What a worker read: the features, its peak memory (MB) and wall time (s)."""

    frame: gpd.GeoDataFrame
    peak_mb: float
    seconds: float


def _skipped(kind: str) -> str:
    import pyogrio

    from layers.catalogue.importers.vector import DRIVERS

    keep = DRIVERS.get(kind)
    return ",".join(d for d in pyogrio.list_drivers() if d != keep)


def worker_environment(kind: str) -> dict[str, str]:
    """The environment of a worker reading *kind* (nothing else inherited)."""
    env = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
    return {**env, **WORKER_SETTINGS, "GDAL_SKIP": _skipped(kind)}


def _limit_error(name: str, limits: Limits, limit: str) -> WorkerLimitError:
    if limit == "seconds":
        problem = (
            f"this file took longer than {limits.seconds:g} s to read, the most "
            "one file may take; it was stopped (split it into smaller files)"
        )
    elif limit == "memory":
        problem = (
            f"this file took more than {limits.memory_mb:,} MB to read, the most "
            "one file may take; it was stopped (split it into smaller files)"
        )
    elif limit == "busy":
        problem = (
            f"the server is reading {limits.workers} other files; this one waited "
            f"{limits.seconds:g} s for its turn (try again in a minute)"
        )
    else:
        problem = (
            "the reader stopped on this file (it is damaged or built to break "
            "readers); nothing of it was read"
        )
    return WorkerLimitError(name, problem, limit=limit)


def read_isolated(
    kind: str, data: bytes, *, name: str, limits: Limits | None = None
) -> Reading:
    """The features of *data* (a ``geojson``, ``gpkg``, ``kml`` or ``kmz``).

    *limits* default to ``limits.LIMITS`` (looked up at each call).

    Raises
    ------
    WorkerLimitError
        If the worker took longer than ``limits.seconds``, more than
        ``limits.memory_mb``, or died.
    CatalogueError
        If the file cannot be read as *kind* or breaks a limit, naming it
        (and the feature and column where one is at fault).
    """
    from layers.catalogue.worker import rebuild

    limits = limits or limits_module.LIMITS
    slots = _slots(limits)
    if not slots.acquire(timeout=limits.seconds):
        raise _limit_error(name, limits, "busy")
    try:
        started = time.monotonic()
        out, returncode = _run_worker(kind, data, name=name, limits=limits)
    finally:
        slots.release()
    seconds = time.monotonic() - started
    tag, _, rest = out.partition(b" ")
    line, _, body = rest.partition(b"\n")
    try:
        fields = json.loads(line) if tag in (b"OK", b"ER") else {}
    except ValueError:
        tag, fields = b"", {}
    if tag == b"OK" and returncode == 0:
        frame = gpd.read_parquet(io.BytesIO(body))
        return Reading(frame, float(fields.get("peak_mb", 0.0)), seconds)
    if tag == b"ER" and "limit" not in fields:
        error = rebuild(fields, name=name)
        error.worker_peak_mb = float(fields.get("peak_mb", 0.0))  # type: ignore[attr-defined]
        raise error
    if fields.get("limit") == "memory" or returncode in (3, -6):
        raise _limit_error(name, limits, "memory")
    raise _limit_error(name, limits, "crash")


def _run_worker(
    kind: str, data: bytes, *, name: str, limits: Limits
) -> tuple[bytes, int]:
    """The worker's answer and exit status, or kill it at the deadline."""
    header = json.dumps({"kind": kind, "name": name, "limits": asdict(limits)})
    process = subprocess.Popen(
        [sys.executable, "-m", "layers.catalogue.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=worker_environment(kind),
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(header.encode() + b"\n" + data, limits.seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise _limit_error(name, limits, "seconds") from None
    return out, process.returncode
