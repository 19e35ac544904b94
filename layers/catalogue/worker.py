"""The worker process that reads one vector file: ``python -m layers.catalogue.worker``.

Started by ``layers.catalogue.isolation`` for each GeoJSON, GeoPackage, KML or
KMZ file. It first holds itself to the file's memory and CPU limits
(``setrlimit``), then reads a header line (JSON: kind, name, limits) and the
file's bytes from stdin, and writes one answer to stdout:

- ``OK <json>`` and a line break, then the features as GeoParquet bytes, or
- ``ER <json>`` and a line break: the problem, with the feature and column where known.

The JSON carries the worker's peak resident memory (``peak_mb``). Nothing is
written to disk; the environment it gets holds no secrets (see
``isolation.worker_environment``).
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import BinaryIO

from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.rows import FeatureError
from layers.catalogue.importers.vector import DRIVERS, read_features
from layers.catalogue.limits import MB, Limits

_KINDS = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "kml": "KML", "kmz": "KMZ"}


def peak_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hold_to(limits: Limits) -> None:
    """Cap this process's address space and CPU time at *limits*."""
    memory = limits.memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.seconds) + 5  # a backstop; the parent's deadline comes first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file written


def _answer(out: BinaryIO, tag: bytes, fields: dict, body: bytes = b"") -> None:
    fields["peak_mb"] = round(peak_mb(), 1)
    out.write(tag + b" " + json.dumps(fields).encode() + b"\n" + body)
    out.flush()


def _problem(exc: BaseException, kind: str) -> dict:
    if isinstance(exc, CatalogueError):
        feature = isinstance(exc, FeatureError)
        return {
            "problem": exc.problem,
            "row": None if feature else exc.row,
            "feature": exc.row if feature else None,
            "column": exc.column,
            "path": exc.path,
        }
    if isinstance(exc, MemoryError):
        return {"limit": "memory"}
    if isinstance(exc, RecursionError):
        return {"problem": "nests too deeply to be read"}
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if "memory" in text.lower() or "alloc" in text.lower():
        return {"limit": "memory"}
    what = _KINDS.get(kind, kind)
    if kind in DRIVERS and "not recognized as being in a supported" in text:
        text = f"GDAL's {DRIVERS[kind]} driver does not recognise it"
    return {"problem": f"cannot be read as {what} ({text})"}


def run(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Read one request from *stdin*, answer on *stdout*; the exit status."""
    spec = json.loads(stdin.readline())
    limits = Limits(**spec["limits"])
    hold_to(limits)
    kind, name = str(spec["kind"]), str(spec["name"])
    try:
        data = stdin.read()
        frame = read_features(kind, data, name=name, limits=limits)
        del data
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
    except BaseException as exc:  # noqa: BLE001 (every failure is an answer)
        try:
            _answer(stdout, b"ER", _problem(exc, kind))
        except MemoryError:
            return 3
        return 1
    _answer(stdout, b"OK", {"features": len(frame)}, buffer.getvalue())
    return 0


def rebuild(fields: dict, *, name: str) -> CatalogueError:
    """The error a worker's ``ER`` answer describes (in the parent)."""
    path = str(fields.get("path") or name)
    problem = str(fields.get("problem") or "cannot be read")
    if fields.get("feature") is not None:
        return FeatureError(
            path, problem, feature=int(fields["feature"]), column=fields.get("column")
        )
    return CatalogueError(
        path, problem, row=fields.get("row"), column=fields.get("column")
    )


if __name__ == "__main__":
    sys.exit(run(sys.stdin.buffer, sys.stdout.buffer))
