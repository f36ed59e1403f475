"""Read the spaces service's catalogues (districts with their centres, space types, amenities).

The JSON files are the spaces service's data; the gateway image carries them too.
"""

import json
from importlib import resources

from gateway.seed.generator import Catalogue


def load_catalogue() -> Catalogue:
    folder = resources.files("services.spaces") / "catalogue"
    read = lambda kind: json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))  # noqa: E731
    return Catalogue(districts=read("districts"), space_types=read("space_types"), amenities=read("amenities"))
