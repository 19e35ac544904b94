"""The ``python -m layers db ...`` commands: init, load, dump, history."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from geo.errors import StrikeMapError
from layers.catalogue import Catalogue, read_catalogue
from layers.catalogue.store.database import (
    DATABASE_ENV,
    DatabaseError,
    connect,
    dump_database,
    history,
    init_database,
    latest_audit_id,
    load_catalogue,
    read_database,
    resolve_database_url,
)


def add_database_option(parser: argparse.ArgumentParser) -> None:
    """The ``--database URL`` option (default: ``$STRIKEMAP_DATABASE_URL``)."""
    parser.add_argument(
        "--database",
        default=None,
        metavar="URL",
        help=f"postgresql://user@host:port/db (default: ${DATABASE_ENV})",
    )


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the ``db`` command group to the main parser's subcommands."""
    db = commands.add_parser(
        "db",
        help="the shared catalogue on PostgreSQL/PostGIS",
        description=(
            "Set up, fill, dump and inspect the shared catalogue database. "
            f"The database comes from --database or ${DATABASE_ENV}; put the "
            "password in ~/.pgpass or PGPASSWORD, not on the command line."
        ),
    )
    actions = db.add_subparsers(dest="db_command", required=True)
    init = actions.add_parser("init", help="create or migrate the tables and roles")
    load = actions.add_parser(
        "load", help="check a catalogue (any readable format) and add it"
    )
    load.add_argument("catalogue", type=Path, metavar="CATALOGUE")
    load.add_argument("--reason", default="catalogue loaded from a file")
    dump = actions.add_parser("dump", help="write the catalogue as a CSV folder")
    dump.add_argument("out", type=Path, metavar="DIR")
    hist = actions.add_parser("history", help="every recorded change of one event")
    hist.add_argument("event_id", metavar="EVENT_ID")
    for parser in (init, load, dump, hist):
        add_database_option(parser)


def read_from_database(url: str) -> tuple[Catalogue, str]:
    """The checked catalogue held by the database at *url*, and its version.

    The version is the newest audit id, so an export names the state of the
    team catalogue it was made from (read before the rows: a change made while
    they are read makes the version older, never newer, than the rows).
    """
    engine = connect(url)
    try:
        with engine.connect() as conn:
            version = f"audit-{latest_audit_id(conn)}"
        return read_database(engine), version
    finally:
        engine.dispose()


def _url(args: argparse.Namespace) -> str:
    url = resolve_database_url(args.database)
    if url is None:
        raise DatabaseError(
            f"no database given; pass --database URL or set {DATABASE_ENV}"
        )
    return url


def run(args: argparse.Namespace) -> int:
    """Run one ``db`` command; errors are printed, never raised."""
    try:
        return _run(args)
    except StrikeMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.db_command == "load":
        catalogue = read_catalogue(args.catalogue)  # checked before connecting
    engine = connect(_url(args))
    try:
        if args.db_command == "init":
            for line in init_database(engine):
                print(line)
        elif args.db_command == "load":
            counts = load_catalogue(
                engine, catalogue, editor=getpass.getuser(), reason=args.reason
            )
            print(", ".join(f"{n} {key}" for key, n in counts.items()) + " loaded")
        elif args.db_command == "dump":
            for path in dump_database(engine, args.out):
                print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KB)")
        else:
            return _history(engine, args.event_id)
    finally:
        engine.dispose()
    return 0


def _history(engine: Engine, event_id: str) -> int:
    with engine.connect() as conn:
        rows = history(conn, "events", event_id)
    if not rows:
        print(f"error: no recorded change of event '{event_id}'", file=sys.stderr)
        return 2
    for row in rows:
        sources = row["edit_sources"]
        print(
            f"#{row['audit_id']} {row['changed_at']:%Y-%m-%d %H:%M:%S%z} {row['op']} "
            f"by {row['editor']} ({row['db_user']}): "
            f"{row['reason'] or '(no reason given)'}"
            + (f" [sources: {sources}]" if sources else "")
        )
        changed = _changed(row["old_row"], row["new_row"])
        if changed:
            print("    " + json.dumps(changed, ensure_ascii=False, default=str))
    return 0


def _changed(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """The columns an audit row changed, with their new values."""
    skip = {"row_version", "seq"}
    old, new = old or {}, new or {}
    return {k: v for k, v in new.items() if k not in skip and old.get(k) != v}
