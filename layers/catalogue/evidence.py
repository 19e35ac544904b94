"""``python -m layers sources check``: what the catalogue's sources hold as evidence.

Only local facts are checked, and the network is never used: sources without
an archived copy, captures whose file is missing or whose SHA-256 no longer
matches, and duplicate sources (the same canonical URL, or the same capture
hash). Looking up archived copies needs the network; this command says so
rather than trying.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layers.catalogue import Catalogue
from layers.catalogue.check.evidence import CAPTURE_DIR, capture_store, leaves_store

_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceReport:
    """What ``sources check`` found, one list of lines per kind."""

    sources: int
    no_archive: tuple[str, ...]
    missing_captures: tuple[str, ...]
    altered_captures: tuple[str, ...]
    duplicates: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no capture is missing or altered and no source is doubled."""
        return not (self.missing_captures or self.altered_captures or self.duplicates)


def _column(sources: pd.DataFrame, name: str) -> pd.Series:
    if name in sources.columns:
        return sources[name].fillna("").astype(str)
    return pd.Series("", index=sources.index, dtype=object)


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at *path*, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _captures(sources: pd.DataFrame, store: Path | None) -> tuple[list[str], list[str]]:
    missing, altered = [], []
    ids = sources["source_id"].astype(str)
    files = _column(sources, "capture_file")
    hashes = _column(sources, "capture_sha256").str.lower()
    for source_id, name, expected in zip(ids, files, hashes, strict=True):
        if not name or leaves_store(name):
            continue  # no capture (or refused when the catalogue was read)
        path = store / name if store is not None else None
        if path is None or not path.is_file():
            missing.append(f"{source_id}: {CAPTURE_DIR}/{name} is not in the store")
        elif (actual := file_sha256(path)) != expected:
            altered.append(
                f"{source_id}: {CAPTURE_DIR}/{name} has sha256 {actual}, "
                f"the catalogue says {expected}"
            )
    return missing, altered


def _duplicates(sources: pd.DataFrame) -> list[str]:
    ids = sources["source_id"].astype(str)
    canonical = _column(sources, "canonical_url")
    canonical = canonical.where(canonical != "", _column(sources, "url"))
    lines = []
    for label, key in (
        ("canonical URL", canonical.str.strip().str.rstrip("/")),
        ("capture sha256", _column(sources, "capture_sha256").str.lower()),
    ):
        keyed = pd.DataFrame({"id": ids, "key": key})
        keyed = keyed[keyed["key"] != ""]
        doubled = keyed[keyed["key"].duplicated(keep=False)]
        for value, group in doubled.groupby("key", sort=True):
            lines.append(f"{', '.join(group['id'])}: the same {label} {value}")
    return lines


def check_sources(catalogue: Catalogue) -> SourceReport:
    """Check the sources of *catalogue* against its capture store (no network)."""
    sources = catalogue.sources
    store = capture_store(catalogue.path)
    no_archive = sources.loc[_column(sources, "archive_url") == "", "source_id"]
    missing, altered = _captures(sources, store)
    return SourceReport(
        sources=len(sources),
        no_archive=tuple(no_archive.astype(str)),
        missing_captures=tuple(missing),
        altered_captures=tuple(altered),
        duplicates=tuple(_duplicates(sources)),
    )


def report_lines(report: SourceReport, *, path: str) -> list[str]:
    """What ``python -m layers sources check`` prints."""
    lines = [
        f"checked {report.sources} sources of {path} against local facts only "
        "(no network: archived copies were not looked up online)"
    ]
    sections = (
        ("without an archived copy", report.no_archive),
        ("capture files missing", report.missing_captures),
        ("captures whose SHA-256 no longer matches", report.altered_captures),
        ("duplicate sources", report.duplicates),
    )
    for title, items in sections:
        lines.append(f"{title}: {len(items)}")
        lines.extend(f"  {item}" for item in items)
    verdict = "OK" if report.ok else "PROBLEMS"
    lines.append(
        f"{verdict}: {len(report.missing_captures)} missing and "
        f"{len(report.altered_captures)} altered captures, "
        f"{len(report.duplicates)} duplicates"
    )
    return lines
