"""The web client's translation catalogues: ``python -m web.catalogues`` (``make strings``).

Every string of the templates and the code is written in English and passed through
``_()``. This command extracts them, brings both catalogues up to date (new strings in,
strings no longer used out), copies each new string into the English catalogue as its
own translation, and lists the Korean translations still missing, which a person then
writes in ``web/translations/ko/LC_MESSAGES/messages.po``. ``make install`` compiles the
catalogues; a test fails while any translation is missing.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent
TRANSLATIONS = WEB / "translations"
LANGUAGES = ("ko", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # lazy: strings made before a request
METHODS = [("**/node_modules/**", "ignore"), ("**.py", "python"), ("templates/**.html", "jinja2")]


def extract() -> Catalog:
    """Every string the web client passes through ``_()`` (and ``ngettext``)."""
    template = Catalog(project="Community Space web client", charset="utf-8")
    for _file, _line, message, _comments, context in extract_from_dir(str(WEB), METHODS, keywords=KEYWORDS):
        template.add(message, context=context)
    return template


def path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    with path(language).open("rb") as file:
        return read_po(file, locale=language)


def missing(catalog: Catalog) -> list[str]:
    return [str(message.id) for message in catalog if message.id and not _translated(message.string)]


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def update() -> dict[str, list[str]]:
    template = extract()
    left: dict[str, list[str]] = {}
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if language == "en":
            for message in catalog:
                if message.id and not _translated(message.string):
                    message.string = message.id
        with path(language).open("wb") as file:
            write_po(file, catalog, width=100, omit_header=False, sort_output=True, include_previous=False)
        left[language] = missing(catalog)
    return left


if __name__ == "__main__":
    for language, strings in update().items():
        print(f"{language}: {len(strings)} to translate in {path(language).relative_to(WEB.parent)}")
        for string in strings:
            print(f"  {string!r}")
