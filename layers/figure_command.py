"""``python -m layers figure``: the publication map of a view, as PNG, SVG or PDF.

The view is given with the page's URL keys (``--start 2019-12-01 --types
"Air/drone strike"``), read by the same parser as a link, so a value out of
range falls back to its default with the same notice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import StrikeMapError
from layers.catalogue import read_catalogue, resolve_catalogue_path
from layers.catalogue.reference import read_reference
from layers.figure import FORMATS
from layers.page import publish, view
from layers.params import LayerInputs
from layers.registry import build_layers


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the ``figure`` command to *commands*."""
    figure = commands.add_parser(
        "figure",
        help="draw the map of a view as a PNG, SVG or PDF figure",
        description=(
            "Draw the layers of one view with their uncertainty (shaded and "
            "hatched zones, dashed rings, dots only for known sites), a legend, "
            "a scale bar, a north arrow, the filters and the credits. The view "
            "options are the page's URL keys and take the same values."
        ),
    )
    figure.add_argument(
        "--out", required=True, type=Path, help="file to write: .png, .svg or .pdf"
    )
    figure.add_argument(
        "--catalogue",
        type=Path,
        default=None,
        help="catalogue to read (default: $STRIKEMAP_CATALOGUE or data/catalogue)",
    )
    for field in view.FIELDS:
        if field.name == "event":
            continue
        figure.add_argument(
            "--" + field.url_key.replace("_", "-"),
            dest="url_" + field.url_key,
            metavar="VALUE",
            help=f"URL key '{field.url_key}'"
            + (f": {field.label}" if field.label else ""),
        )


def run(args: argparse.Namespace) -> int:
    """Write the figure *args* ask for; return the exit status."""
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(
            f"error: --out must end in .png, .svg or .pdf, got {args.out}",
            file=sys.stderr,
        )
        return 2
    query = {
        key[4:]: value
        for key, value in vars(args).items()
        if key.startswith("url_") and value is not None
    }
    try:
        catalogue = read_catalogue(args.catalogue or resolve_catalogue_path(argv=()))
        options = view.options_for(catalogue.events, loaded=((catalogue.path,), None))
        state, notices = view.parse_query(query, options)
        layers = build_layers(
            LayerInputs(read_reference(), catalogue), state.layer_params()
        )
        data = publish.figure_of_view(layers, state, options, fmt=fmt)
    except StrikeMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(data) / 1024:.1f} KB)")
    return 0
