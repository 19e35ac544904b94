"""Which catalogue the page reads: the files' stamp, an upload, the cache key."""

from __future__ import annotations

import hashlib
from pathlib import Path

from layers.catalogue import Catalogue, read_catalogue, read_with_upload

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


#: What the page's caches are keyed on: ``(catalogue, stamp)``, or with an
#: uploaded file ``(catalogue, stamp, file name, SHA-256 of its bytes, mode)``.
#: The bytes themselves travel beside the key, unhashed by Streamlit.
Source = tuple[object, ...]
#: The source in use and the uploaded bytes (None without an upload).
Upload = tuple[Source, bytes | None]


def upload_source(
    previous: Upload | None, base: Source, upload: tuple[str, bytes, str] | None
) -> tuple[Upload, bool]:
    """The source to read, and whether it is a new upload to check first.

    Parameters
    ----------
    previous
        What this session read last (None: nothing yet).
    base
        ``(catalogue, stamp)`` of the catalogue in use.
    upload
        ``(file name, bytes, mode)`` of the file in the uploader, if any.

    Returns
    -------
    The base alone when there is no file (or the catalogue itself changed),
    the previous upload when the same file is still there, else the new one.
    """
    if previous is None or previous[0][:2] != base or upload is None:
        previous = (base, None)
    if upload is None:
        return previous, False
    name, data, mode = upload
    source = (*base, name, hashlib.sha256(data).hexdigest(), mode)
    if previous[0] == source:
        return previous, False
    return (source, data), True


def read_source(source: Source, data: bytes | None) -> Catalogue:
    """The catalogue *source* names, with the uploaded *data* if there is any."""
    if data is None:
        return read_catalogue(str(source[0]))
    name, mode = str(source[2]), str(source[4])
    return read_with_upload(str(source[0]), name=name, data=data, mode=mode)
