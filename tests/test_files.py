"""The files stamp that keys the page's catalogue cache."""

from __future__ import annotations

import os

from layers.page.files import files_stamp


def test_stamp_changes_when_a_file_is_edited(catalogue_copy):
    before = files_stamp(catalogue_copy)
    assert [name for name, _, _ in before] == [
        "claims.csv",
        "events.csv",
        "sources.csv",
    ]
    path = catalogue_copy / "events.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert files_stamp(catalogue_copy) != before


def test_stamp_changes_when_only_the_time_changes(catalogue_copy):
    before = files_stamp(catalogue_copy)
    path = catalogue_copy / "claims.csv"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert files_stamp(catalogue_copy) != before


def test_stamp_of_a_file_and_of_nothing(catalogue_copy, tmp_path):
    assert len(files_stamp(catalogue_copy / "events.csv")) == 1
    assert files_stamp(tmp_path / "missing") == ()
