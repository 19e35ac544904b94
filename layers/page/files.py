"""A cheap fingerprint of the files a catalogue is read from, to key caches on."""

from __future__ import annotations

from pathlib import Path

#: (file name, modification time in ns, size in bytes) of each file.
Stamp = tuple[tuple[str, int, int], ...]


def files_stamp(path: Path | str) -> Stamp:
    """The name, modification time and size of *path*, or of each file in it.

    A folder gives one entry per file directly inside it, sorted by name; a
    missing path gives ``()``. Saving a file changes its time (and mostly its
    size), so a cache keyed on the stamp sees every edit without reading the
    files.
    """
    path = Path(path)
    if path.is_file():
        entries = [path]
    elif path.is_dir():
        entries = sorted(p for p in path.iterdir() if p.is_file())
    else:
        return ()
    out = []
    for entry in entries:
        stat = entry.stat()
        out.append((entry.name, stat.st_mtime_ns, stat.st_size))
    return tuple(out)
