"""Zip archives (catalogue zips and KMZ) opened within the limits.

The archive's own directory is checked before any member is unpacked: the
count of entries is read from its end record, so a zip of a million empty
members is refused before Python builds a million entries. Unpacked bytes
are counted while reading (the sizes the archive declares are not trusted)
and reading stops at ``Limits.unpacked_mb``. A member that fails its
checksum, is encrypted or uses an unknown compression is named with the
reason; an archive inside an archive is never opened.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from layers.catalogue.errors import CatalogueError
from layers.catalogue.limits import LIMITS, MB, Limits

_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_CHUNK = 1 << 20
#: What reading a broken member raises (zipfile lets each through).
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
)


def declared_entries(data: bytes, *, name: str) -> int:
    """The number of entries the archive's end record declares.

    Raises
    ------
    CatalogueError
        If there is no end record (the zip is cut short or is not a zip).
    """
    tail = data[-(22 + 65_535) :]
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        raise CatalogueError(
            name, "is not a readable zip (its end record is missing: cut short?)"
        )
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if entries == 0xFFFF:  # ZIP64: the count is in the ZIP64 end record
        at64 = tail.rfind(_END64, 0, at)
        if at64 < 0 or at - at64 < 56:
            raise CatalogueError(name, "is not a readable zip (broken ZIP64 record)")
        entries = struct.unpack("<Q", tail[at64 + 32 : at64 + 40])[0]
    return int(entries)


def open_zip(data: bytes, *, name: str, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """The archive, its directory checked against *limits* before it is read.

    Raises
    ------
    CatalogueError
        If it is not a readable zip or holds more than ``limits.members``
        entries.
    """
    declared = declared_entries(data, name=name)
    if declared > limits.members:
        raise CatalogueError(
            name,
            f"holds {declared:,} entries; an archive may hold at most "
            f"{limits.members:,}",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN as exc:
        raise CatalogueError(name, f"is not a readable zip ({exc})") from None
    if len(archive.infolist()) > limits.members:
        archive.close()
        raise CatalogueError(
            name, f"holds more than {limits.members:,} entries; that is the most read"
        )
    return archive


class Unpacked:
    """What is left of one archive's unpacked-bytes allowance.

    Parameters
    ----------
    name
        The archive's name, for messages.
    limits
        Where ``unpacked_mb`` comes from.
    """

    def __init__(self, *, name: str, limits: Limits = LIMITS) -> None:
        self.name = name
        self.limit = limits.unpacked_bytes
        self.used = 0

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """The bytes of member *info*, counted against the allowance.

        The member is unpacked twice: once only counting (its chunks thrown
        away, so a bomb costs no memory), then, if it fits, kept.

        Raises
        ------
        CatalogueError
            If the members unpack to more than the allowance, or the member
            is broken (checksum, encryption, compression), naming it.
        """
        shown = f"{self.name}/{info.filename}"
        size = self._unpack(archive, info, shown, keep=None)
        if self.used + size > self.limit:
            raise CatalogueError(
                shown,
                f"unpacks to more than {self.limit // MB} MB (the archive "
                f"declares {info.file_size / MB:.1f} MB for it); that is the most "
                "read from one archive",
            )
        self.used += size
        parts: list[bytes] = []
        self._unpack(archive, info, shown, keep=parts)
        return b"".join(parts)

    def _unpack(
        self,
        archive: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        shown: str,
        *,
        keep: list[bytes] | None,
    ) -> int:
        """Bytes of *info* unpacked (stopping past the allowance left)."""
        size, left = 0, self.limit - self.used
        try:
            with archive.open(info) as member:
                while (chunk := member.read(_CHUNK)) and size <= left:
                    size += len(chunk)
                    if keep is not None:
                        keep.append(chunk)
        except _BROKEN as exc:
            problem = f"cannot be unpacked ({_reason(exc)})"
            raise CatalogueError(shown, problem) from None
        return size


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "CRC" in text:
        return "its checksum (CRC) does not match: the archive is damaged"
    if "encrypted" in text or "password" in text:
        return "it is encrypted; unpack it without a password"
    if "compression" in text.lower():
        return f"{text}; re-zip it with the standard (deflate) compression"
    return text[:200]
