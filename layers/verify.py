"""Check an export against its manifest: ``python -m layers verify PATH``.

*PATH* is an export folder or a zip. Every file's SHA-256 and size are compared
with the resources of its ``datapackage.json`` and with its BagIt-style
``manifest-sha256.txt`` (which also lists ``datapackage.json``). Files are only
hashed, never extracted or opened by a name the manifest gives, so a hostile
manifest can name no file outside the package.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from geo.errors import StrikeMapError
from layers.manifest import (
    BAGIT_MANIFEST,
    DATAPACKAGE,
    PACKAGE_FILES,
    bagit_manifest,
    check_member_path,
)

BinaryIO = IO[bytes]
#: Largest datapackage.json read (a real one is a few kilobytes).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")
_BAG_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")


class ManifestError(StrikeMapError):
    """A package that cannot be checked: no manifest, or a malformed one."""


@dataclass(frozen=True)
class Finding:
    """One file that does not match: ``altered``, ``missing`` or ``extra``."""

    kind: str
    path: str
    detail: str = ""

    def line(self) -> str:
        """The finding as one line of the command's output (names made printable)."""
        shown = self.path if self.path.isprintable() else repr(self.path)
        return f"{self.kind}: {shown}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Verdict:
    """What verifying a package found."""

    source: str
    checked: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when every file matches and none is missing or extra."""
        return not self.findings


def _hash_stream(handle: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _read_folder(folder: Path) -> tuple[dict[str, tuple[str, int]], dict[str, bytes]]:
    hashes: dict[str, tuple[str, int]] = {}
    small: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(folder).as_posix()
        with path.open("rb") as handle:
            hashes[name] = _hash_stream(handle)
        if name in PACKAGE_FILES and hashes[name][1] <= MAX_MANIFEST_BYTES:
            small[name] = path.read_bytes()
    return hashes, small


def _read_zip(path: Path) -> tuple[dict[str, tuple[str, int]], dict[str, bytes]]:
    hashes: dict[str, tuple[str, int]] = {}
    small: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as handle:
                    hashes[info.filename] = _hash_stream(handle)
                if (
                    info.filename in PACKAGE_FILES
                    and info.file_size <= MAX_MANIFEST_BYTES
                ):
                    small[info.filename] = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ManifestError(f"{path} is not a readable zip: {exc}") from None
    return hashes, small


def _resources(data: bytes) -> dict[str, tuple[str, int]]:
    """Path to (hex, bytes) from the text of a datapackage.json."""
    try:
        package = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ManifestError(f"{DATAPACKAGE} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"{DATAPACKAGE} is not valid JSON (line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise ManifestError(
            f"{DATAPACKAGE} has no 'resources' list; expected a Frictionless "
            "Data Package"
        )
    expected: dict[str, tuple[str, int]] = {}
    for index, resource in enumerate(package["resources"]):
        where = f"{DATAPACKAGE}, resource {index + 1}"
        expected_path, entry = _resource_entry(resource, where)
        if expected_path in expected or expected_path in PACKAGE_FILES:
            raise ManifestError(f"{where}: path {expected_path!r} is listed twice")
        expected[expected_path] = entry
    return expected


def _resource_entry(resource: Any, where: str) -> tuple[str, tuple[str, int]]:
    if not isinstance(resource, dict):
        raise ManifestError(f"{where}: expected an object with path, bytes, hash")
    path = resource.get("path")
    if not isinstance(path, str):
        raise ManifestError(f"{where}: 'path' must be one relative file path")
    try:
        check_member_path(path)
    except ValueError as exc:
        raise ManifestError(f"{where}: {exc}") from None
    digest = resource.get("hash")
    if not isinstance(digest, str) or not digest.startswith("sha256:"):
        raise ManifestError(f"{where} ({path}): 'hash' must be 'sha256:<64 hex>'")
    hex_digest = digest.removeprefix("sha256:")
    if not _HEX64.fullmatch(hex_digest):
        raise ManifestError(
            f"{where} ({path}): 'hash' must be 'sha256:' and 64 lower-case hex digits"
        )
    size = resource.get("bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ManifestError(f"{where} ({path}): 'bytes' must be a whole number >= 0")
    return path, (hex_digest, size)


def _bag_lines(data: bytes) -> tuple[dict[str, str], str]:
    """Path to hex from manifest-sha256.txt, and the first problem ("" if none)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, "not UTF-8 text"
    lines: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _BAG_LINE.fullmatch(line)
        if not match:
            return lines, f"line {number} is not '<sha256>  <path>'"
        lines[match.group(2)] = match.group(1).lower()
    return lines, ""


def _compare(
    actual: Mapping[str, tuple[str, int]],
    expected: Mapping[str, tuple[str, int]],
    bag: Mapping[str, str],
) -> list[Finding]:
    findings = []
    for path, (digest, size) in expected.items():
        if path not in actual:
            findings.append(Finding("missing", path, "listed in the manifest"))
            continue
        got, got_size = actual[path]
        if (got, got_size) == (digest, size):
            continue
        if bag.get(path) == got:
            findings.append(
                Finding("altered", DATAPACKAGE, f"its entry for {path} was changed")
            )
        else:
            findings.append(
                Finding(
                    "altered",
                    path,
                    f"{got_size} bytes, sha256 {got}; the manifest says "
                    f"{size} bytes, sha256 {digest}",
                )
            )
    for path in sorted(set(actual) - set(expected) - set(PACKAGE_FILES)):
        findings.append(Finding("extra", path, "not in the manifest"))
    return findings


def _check_bag(
    actual: Mapping[str, tuple[str, int]],
    expected: Mapping[str, tuple[str, int]],
    small: Mapping[str, bytes],
) -> tuple[list[Finding], dict[str, str]]:
    if BAGIT_MANIFEST not in actual:
        return [Finding("missing", BAGIT_MANIFEST, "the hash list of the export")], {}
    data = small.get(BAGIT_MANIFEST, b"")
    bag, problem = _bag_lines(data)
    if problem:
        return [Finding("altered", BAGIT_MANIFEST, problem)], bag
    findings = []
    package_hash = actual[DATAPACKAGE][0]
    if bag.get(DATAPACKAGE) != package_hash:
        findings.append(
            Finding(
                "altered",
                DATAPACKAGE,
                f"its sha256 {package_hash} is not the one {BAGIT_MANIFEST} gives "
                "(one of the two was changed)",
            )
        )
    wanted = {path: entry[0] for path, entry in expected.items()}
    wanted[DATAPACKAGE] = bag.get(DATAPACKAGE, package_hash)
    if data != bagit_manifest(wanted) and not findings:
        paths = set(bag) | set(wanted)
        differ = sorted(p for p in paths if bag.get(p) != wanted.get(p))
        detail = (
            f"its line for {differ[0]} disagrees with {DATAPACKAGE}"
            if differ
            else "its text differs from the list datapackage.json gives"
        )
        findings.append(Finding("altered", BAGIT_MANIFEST, detail))
    return findings, bag


def verify_package(path: Path) -> Verdict:
    """Check the export folder or zip at *path* against its manifests.

    Returns
    -------
    The verdict: how many files were checked and each that is altered,
    missing or extra.

    Raises
    ------
    ManifestError
        If *path* is not a folder or zip, or holds no readable
        ``datapackage.json`` (bad JSON, a path leaving the package, a hash
        that is not ``sha256:`` and 64 hex digits ...).
    """
    if path.is_dir():
        actual, small = _read_folder(path)
    elif path.is_file():
        actual, small = _read_zip(path)
    else:
        raise ManifestError(f"{path} does not exist; expected an export folder or zip")
    if DATAPACKAGE not in actual:
        raise ManifestError(f"no {DATAPACKAGE} in {path}; expected an export package")
    if DATAPACKAGE not in small:
        raise ManifestError(f"{DATAPACKAGE} is over {MAX_MANIFEST_BYTES} bytes")
    expected = _resources(small[DATAPACKAGE])
    bag_findings, bag = _check_bag(actual, expected, small)
    findings = _compare(actual, expected, bag) + bag_findings
    first: dict[tuple[str, str], Finding] = {}
    for finding in findings:  # one line per file: the first reason found
        first.setdefault((finding.kind, finding.path), finding)
    unique = tuple(first.values())
    return Verdict(source=str(path), checked=len(expected), findings=unique)


def report_lines(verdict: Verdict) -> list[str]:
    """What ``python -m layers verify`` prints for *verdict*."""
    if verdict.ok:
        return [
            f"OK: {verdict.source}: all {verdict.checked} files match "
            f"{DATAPACKAGE} and {BAGIT_MANIFEST} (SHA-256 and size); "
            "none missing, none extra"
        ]
    counts = {
        kind: sum(f.kind == kind for f in verdict.findings)
        for kind in ("altered", "missing", "extra")
    }
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    return [f.line() for f in verdict.findings] + [
        f"FAILED: {verdict.source}: {summary} ({verdict.checked} files listed)"
    ]
