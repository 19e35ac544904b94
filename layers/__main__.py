"""Command line: ``python -m layers export --out DIR [--layers ..] [--format ..]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import StrikeMapError
from layers.export import FORMATS, export_layers
from layers.params import (
    CORRIDOR_HALF_WIDTH_KM,
    VALLEY_HALF_WIDTH_KM,
    WIDTH_RANGE_KM,
    LayerInputs,
    LayerParams,
    width_km_argument,
)
from layers.registry import LAYER_NAMES, LAYERS, build_layers
from layers.sources import read_catalogue, resolve_catalogue_path
from layers.sources.reference import read_reference

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
            "counter-clockwise exteriors, bbox, no crs member), or all layers in "
            "DIR/layers.gpkg."
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
    export.add_argument(
        "--catalogue",
        type=Path,
        default=None,
        help="catalogue to read (default: $STRIKEMAP_CATALOGUE or data/catalogue)",
    )
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
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
        inputs = LayerInputs(read_reference(), read_catalogue(catalogue))
        layers = build_layers(inputs, params, names)
        selected = {name: layers[name] for name in names}
        written = export_layers(selected, args.out, fmt=args.fmt)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
