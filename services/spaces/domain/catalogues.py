"""The catalogues (districts, space types, amenities), read once from ``catalogue/*.json``.

They are data, not code, so a city other than Seoul swaps the files, not the service. An
amenity new to the database also needs a bit in its ``amenity_mask()``, by a migration
(see ``migrations/versions/0005_search_counts.py``); a test fails until it has one.
"""

import json
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
KINDS = ("districts", "space_types", "amenities")


class Catalogues:
    def __init__(self, entries: dict[str, list[dict]]):
        self.entries = entries
        self.codes = {kind: [entry["code"] for entry in items] for kind, items in entries.items()}
        self._known = {kind: set(codes) for kind, codes in self.codes.items()}

    def knows(self, kind: str, code) -> bool:
        return isinstance(code, str) and code in self._known[kind]

    def public(self) -> dict:
        """What the ``catalogues`` RPC answers: code and both names of each entry."""
        return {
            kind: [{"code": e["code"], "name_ko": e["name_ko"], "name_en": e["name_en"]} for e in items]
            for kind, items in self.entries.items()
        }


@lru_cache
def catalogues() -> Catalogues:
    return Catalogues({kind: json.loads((CATALOGUE_DIR / f"{kind}.json").read_text()) for kind in KINDS})
