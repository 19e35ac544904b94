"""First-order areas of imported events anywhere: by name, else by position.

A file's admin-1 name (ACLED ``admin1``, UCDP ``adm_1``) is matched within
the event's country against the world reference's own names (Natural
Earth's ``name``, ``woe_name`` and WOE label, GeoNames ``gn_name``) after
:func:`~layers.catalogue.spelling.name_key` (accents, case, articles
dropped) or :func:`~layers.catalogue.spelling.admin_key` (words such as
"oblast" or "region" dropped too), and the tables of spellings. An area the
reference holds only inside a larger one is drawn as that larger area. A name
that matches nothing gives way to the area the position lies in. ``how`` says
which, for the derivation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.catalogue.importers.names import admin1_names, admin1_within
from layers.catalogue.world import World, locate, shipped_world

#: How an admin-1 area was found.
HOW = {
    "name": "named by the source",
    "within": "the source's admin-1 area lies within this reference area, which "
    "predates it or merges it with others",
    "position": "the source's admin-1 name matched no reference area; the area "
    "the position lies in",
    "none": "no admin-1 area: the position lies in none of its country",
}


def match_admin1(
    names: pd.Series,
    countries: pd.Series,
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    here: pd.DataFrame | None = None,
    world: World | None = None,
) -> pd.DataFrame:
    """The reference admin-1 area of each event, and how it was found.

    Parameters
    ----------
    names
        The admin-1 name as the file spells it (may be empty).
    countries
        The event's country as a reference ``iso_a3``.
    lon, lat
        The event's position (WGS 84 degrees).
    here
        Where the positions lie, if already found (``locate``'s frame, as
        ``place_positions`` returns it); else found here.
    world
        The reference to use (default: the shipped one).

    Returns
    -------
    Columns ``admin1`` (a reference ``name``, or empty) and ``how`` (a key of
    ``HOW``), aligned with *names*.
    """
    world = world or shipped_world()
    names = names.reset_index(drop=True).fillna("").astype(str)
    countries = countries.reset_index(drop=True).fillna("").astype(str)
    by_name = admin1_names(names, countries, world.admin1)
    if here is None:
        here = locate(lon, lat, world=world)
    # The area the position lies in counts only if it is in the event's country.
    lies_in = here["admin1"].where(here["iso_a3"] == countries, "")
    admin1 = by_name.where(by_name != "", lies_in)
    within = admin1_within(names, countries) & (by_name != "")
    how = np.select(
        [within, by_name != "", lies_in != ""],
        ["within", "name", "position"],
        default="none",
    )
    return pd.DataFrame({"admin1": admin1.to_numpy(), "how": how})
