"""Command line: ``export``, ``convert``, ``verify``, ``sources``, ``figure``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import StrikeMapError
from layers import figure_command
from layers.catalogue import (
    FORMATS as CATALOGUE_FORMATS,
)
from layers.catalogue import (
    Catalogue,
    read_catalogue,
    resolve_catalogue_path,
    write_catalogue,
)
from layers.catalogue.evidence import check_sources
from layers.catalogue.evidence import report_lines as source_lines
from layers.catalogue.partial import read_path
from layers.catalogue.partial import report_lines as partial_lines
from layers.catalogue.reference import read_reference
from layers.catalogue.store import db_cli
from layers.export import FORMATS, export_layers
from layers.export_facts import command_facts, stray_files
from layers.params import (
    CORRIDOR_HALF_WIDTH_KM,
    VALLEY_HALF_WIDTH_KM,
    WIDTH_RANGE_KM,
    LayerInputs,
    LayerParams,
    width_km_argument,
)
from layers.registry import LAYER_NAMES, LAYERS, build_layers
from layers.verify import ManifestError, report_lines, verify_package

_WIDTHS = "from {:g} to {:g}".format(*WIDTH_RANGE_KM)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m layers",
        description="Build the strike-map layers and write them to files.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export",
        help="write layers as RFC 7946 GeoJSON (one file each) or one GeoPackage",
        description=(
            "Write each layer as DIR/<layer>.geojson (RFC 7946: WGS84 lon/lat, "
            "counter-clockwise exteriors, bbox, no crs member) or DIR/<layer>.kml, "
            "or all layers in DIR/layers.gpkg; with DIR/datapackage.json and "
            "DIR/manifest-sha256.txt (what made the export, every file's SHA-256; "
            "check them with 'python -m layers verify DIR')."
        ),
        epilog="layers:\n"
        + "\n".join(f"  {spec.name:<18} {spec.description}" for spec in LAYERS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--out", required=True, type=Path, help="output folder")
    export.add_argument(
        "--layers",
        default=",".join(LAYER_NAMES),
        help="comma-separated layer names (default: all)",
    )
    export.add_argument("--format", default="geojson", choices=FORMATS, dest="fmt")
    _skip_flag(export)
    export.add_argument(
        "--catalogue",
        type=Path,
        default=None,
        help="catalogue to read (default: $STRIKEMAP_CATALOGUE or data/catalogue)",
    )
    db_cli.add_database_option(export)
    export.add_argument(
        "--valley-km",
        type=width_km_argument,
        default=VALLEY_HALF_WIDTH_KM,
        help=f"Euphrates valley half-width W in km, {_WIDTHS} (default %(default)s)",
    )
    export.add_argument(
        "--corridor-km",
        type=width_km_argument,
        default=CORRIDOR_HALF_WIDTH_KM,
        help=f"border corridor half-width D in km, {_WIDTHS} (default %(default)s)",
    )
    convert = commands.add_parser(
        "convert",
        help="check a catalogue and write it as a CSV or GeoParquet catalogue folder",
        description=(
            "Read and check the catalogue IN (any readable catalogue), then write "
            "it to the folder OUT: events.csv, claims.csv, sources.csv (the "
            "editable form) or events.parquet (GeoParquet), claims.parquet, "
            "sources.parquet (fast to load at a million events)."
        ),
    )
    convert.add_argument("source", type=Path, metavar="IN", help="catalogue to read")
    _skip_flag(convert)
    convert.add_argument(
        "--out", required=True, type=Path, metavar="OUT", help="folder to write"
    )
    convert.add_argument(
        "--format", default="csv", choices=CATALOGUE_FORMATS, dest="fmt"
    )
    verify = commands.add_parser(
        "verify",
        help="check an export folder or zip against its datapackage.json",
        description=(
            "Compare every file of the export folder or zip PATH with the SHA-256 "
            "and size its datapackage.json and manifest-sha256.txt give. Exit 0 "
            "when all match; otherwise name each altered, missing or extra file "
            "and exit 1 (2: no readable manifest)."
        ),
    )
    verify.add_argument("path", type=Path, metavar="PATH", help="folder or zip")
    sources = commands.add_parser(
        "sources",
        help="check the catalogue's sources as evidence (local facts, no network)",
        description=(
            "'check': list sources without an archived copy, capture files that "
            "are missing or whose SHA-256 no longer matches, and duplicate "
            "sources (same canonical URL or capture hash). Never uses the network."
        ),
    )
    sources.add_argument("action", choices=("check",))
    sources.add_argument("--catalogue", type=Path, default=None)
    figure_command.add_parser(commands)
    db_cli.add_commands(commands)
    return parser


def _skip_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="read an ACLED or UCDP file's valid rows, listing each refused row",
    )


def _read(path: Path, skip_bad_rows: bool) -> Catalogue:  # noqa: FBT001
    catalogue, partial = read_path(path, skip_bad_rows=skip_bad_rows)
    for line in partial_lines(partial) if partial else ():
        print(line)
    return catalogue


def _sources(args: argparse.Namespace) -> int:
    path = args.catalogue or resolve_catalogue_path(argv=())
    try:
        catalogue = read_catalogue(path)
    except StrikeMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = check_sources(catalogue)
    for line in source_lines(report, path=str(path)):
        print(line)
    return 0 if report.ok else 1


def _verify(args: argparse.Namespace) -> int:
    try:
        verdict = verify_package(args.path)
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot read {args.path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for line in report_lines(verdict):
        print(line)
    return 0 if verdict.ok else 1


def _convert(args: argparse.Namespace) -> int:
    try:
        catalogue = _read(args.source, args.skip_bad_rows)
    except StrikeMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out.resolve() == args.source.resolve():
        print("error: OUT must differ from IN", file=sys.stderr)
        return 2
    try:
        written = write_catalogue(catalogue, args.out, fmt=args.fmt)
    except OSError as exc:
        print(
            f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KB)")
    print(
        f"{len(catalogue.events)} events, {len(catalogue.claims)} claims, "
        f"{len(catalogue.sources)} sources"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "convert":
        return _convert(args)
    if args.command == "verify":
        return _verify(args)
    if args.command == "sources":
        return _sources(args)
    if args.command == "figure":
        return figure_command.run(args)
    if args.command == "db":
        return db_cli.run(args)
    names = [n.strip() for n in args.layers.split(",") if n.strip()]
    unknown = [n for n in names if n not in LAYER_NAMES]
    if unknown or not names:
        parser.exit(
            2,
            f"error: unknown layer(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(LAYER_NAMES)}\n",
        )
    try:
        params = LayerParams(
            valley_half_width_km=args.valley_km, corridor_half_width_km=args.corridor_km
        )
    except ValueError as exc:  # the widths the user gave are out of range
        parser.exit(2, f"error: {exc}\n")
    catalogue = args.catalogue or resolve_catalogue_path(argv=())
    try:
        version = None
        if args.database:  # the shared catalogue instead of a file
            catalogue, version = db_cli.read_from_database(args.database)
        else:
            catalogue = _read(catalogue, args.skip_bad_rows)
        inputs = LayerInputs(read_reference(), catalogue)
        layers = build_layers(inputs, params, names)
        selected = {name: layers[name] for name in names}
        facts = command_facts(
            inputs.catalogue,
            selected,
            params,
            fmt=args.fmt,
            catalogue_version=version,
        )
        written = export_layers(selected, args.out, fmt=args.fmt, facts=facts)
    except StrikeMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KB)")
    for name in names:
        if len(layers[name]) == 0:
            print(f"skipped {name}: no features in this catalogue")
    for line in stray_files(args.out, written):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
