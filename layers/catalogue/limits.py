"""How much work one file may cost: every reader's limits, in one place.

The page is a server shared by a team, so a file that is too big, too deep
or too slow must cost its reader a clear message, not the others their
session. Each number below is checked where it can be counted (bytes before
reading, unpacked bytes while unpacking, features and cells after parsing);
what a library cannot be bounded in from inside (GDAL, SQLite, the XML
parser) runs in a worker process held to ``seconds`` and ``memory_mb``.
The README lists the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The most one uploaded or opened file may hold or cost.

    Attributes
    ----------
    upload_mb
        Bytes in: the largest file the page accepts (``.streamlit/config.toml``
        sets ``server.maxUploadSize`` to the same).
    unpacked_mb
        Bytes out of an archive (zip, KMZ), all members together, counted
        while unpacking (the sizes an archive declares are not trusted).
    members
        Entries in an archive's directory (files and folders).
    depth
        Nesting: XML elements inside each other (KML folders), JSON objects
        and arrays inside each other; an archive inside an archive is not
        opened at all.
    features
        Features in a GeoJSON, GeoPackage or KML file (all layers together).
    vertices
        Coordinates in one geometry.
    properties
        Properties (columns) per feature.
    cell_chars
        Characters in one text cell or property.
    seconds
        Wall time for reading one file in the worker process, after which
        the worker is killed.
    memory_mb
        Address space of that worker process (``RLIMIT_AS``), the
        interpreter and its libraries included (about 450 MB of it).
    workers
        Worker processes running at once (for all sessions of the server);
        a file waits up to ``seconds`` for its turn.
    """

    upload_mb: int = 100
    unpacked_mb: int = 200
    members: int = 1_000
    depth: int = 32
    features: int = 100_000
    vertices: int = 100_000
    properties: int = 200
    cell_chars: int = 65_536
    seconds: float = 30.0
    memory_mb: int = 1_536
    workers: int = 4

    @property
    def upload_bytes(self) -> int:
        """``upload_mb`` in bytes."""
        return self.upload_mb * MB

    @property
    def unpacked_bytes(self) -> int:
        """``unpacked_mb`` in bytes."""
        return self.unpacked_mb * MB


#: The limits every reader applies unless told otherwise.
LIMITS = Limits()


def limits_table(limits: Limits = LIMITS) -> list[tuple[str, str]]:
    """What each limit bounds and its value, as the README lists them."""
    return [
        ("bytes in (one uploaded file)", f"{limits.upload_mb} MB"),
        ("bytes unpacked (one archive, all members)", f"{limits.unpacked_mb} MB"),
        ("members per archive", f"{limits.members:,}"),
        ("nesting depth (XML elements, JSON arrays/objects)", f"{limits.depth}"),
        ("features per vector file (all layers)", f"{limits.features:,}"),
        ("vertices per geometry (vector files)", f"{limits.vertices:,}"),
        ("properties per feature (vector files)", f"{limits.properties:,}"),
        ("characters per cell (vector files)", f"{limits.cell_chars:,}"),
        ("wall time per file (worker)", f"{limits.seconds:g} s"),
        ("memory per file (worker address space)", f"{limits.memory_mb:,} MB"),
        ("worker processes at once (whole server)", f"{limits.workers}"),
    ]
