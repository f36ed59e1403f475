"""Every string the web client shows has a Korean and an English translation."""

import pytest

from web import catalogues


@pytest.fixture(scope="module")
def strings():
    return catalogues.extract()


def test_the_web_client_has_strings_to_translate(strings):
    assert len([message for message in strings if message.id]) > 100


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_every_string_is_in_the_catalogue_and_translated(strings, language):
    catalog = catalogues.load(language)
    absent = [message.id for message in strings if message.id and message.id not in catalog]
    assert absent == [], f"run `make strings`, then translate: {absent[:10]}"
    assert catalogues.missing(catalog) == [], f"untranslated in {catalogues.path(language)}"


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_translations_keep_the_placeholders(language):
    """A Korean sentence that drops ``%(seconds)s`` would raise, or say the wrong thing, at run time."""
    problems = [
        (str(message.id), [str(error) for error in errors]) for message, errors in catalogues.load(language).check()
    ]
    assert problems == []
