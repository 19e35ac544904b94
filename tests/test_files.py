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


def test_upload_source_keys_on_the_files_and_the_bytes():
    from layers.page.files import upload_source

    base = ("cat", (("events.csv", 1, 2),))
    (source, data), new = upload_source(None, base, None)
    assert (source, data, new) == (base, None, False)
    (source, data), new = upload_source(None, base, ("a.csv", b"x", "merge"))
    assert new and data == b"x" and source[:3] == (*base, "a.csv")
    same, new = upload_source((source, data), base, ("a.csv", b"x", "merge"))
    assert same == (source, data) and not new
    _, new = upload_source((source, data), base, ("a.csv", b"y", "merge"))
    assert new  # other bytes, same name: read again
    edited = ("cat", (("events.csv", 9, 2),))
    (source, data), new = upload_source((source, data), edited, None)
    assert (source, data, new) == (edited, None, False)


def test_read_source_reads_the_folder_or_the_upload(catalogue_copy):
    from layers.page.files import files_stamp, read_source

    base = (str(catalogue_copy), files_stamp(catalogue_copy))
    assert len(read_source(base, None).events) > 0
