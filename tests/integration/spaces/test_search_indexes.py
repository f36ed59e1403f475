"""The helpers the search's indexes rely on, in PostgreSQL, agree with the catalogue and the code.

A search counts amenities by ``amenity_mask`` and finds short Korean words by
``hangul_bigrams`` (migration 0005). A catalogue amenity without a bit, or syllable pairs
found differently in SQL and in Python, would silently lose matches.
"""

import pytest
import sqlalchemy as sa

from services.spaces.adapters.search import hangul_bigrams
from services.spaces.domain.catalogues import catalogues


@pytest.fixture(scope="module")
def spaces_db(database_url):
    engine = sa.create_engine(database_url("spaces"))
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def test_every_catalogue_amenity_has_a_bit_of_its_own(spaces_db):
    codes = catalogues().codes["amenities"]
    bits = spaces_db.scalars(
        sa.text("SELECT amenity_mask(ARRAY[code]) FROM unnest(CAST(:codes AS text[])) code"), {"codes": codes}
    ).all()
    assert all(bit > 0 and bit & (bit - 1) == 0 for bit in bits)  # one bit each
    assert len(set(bits)) == len(codes)
    assert spaces_db.scalar(sa.text("SELECT amenity_mask(CAST(:codes AS text[]))"), {"codes": codes}) == sum(bits)


def test_a_code_without_a_bit_is_refused_rather_than_stored_unseen(spaces_db):
    with pytest.raises(sa.exc.DBAPIError, match="no bit for the amenity sauna"):
        spaces_db.scalar(sa.text("SELECT amenity_mask(ARRAY['wifi', 'sauna'])"))
    spaces_db.rollback()


@pytest.mark.parametrize("text", ["망원 작은도서관 library", "카페", "카", "a cup of tea", "공유부엌·카페, 3층", ""])
def test_hangul_bigrams_are_the_same_in_sql_and_python(spaces_db, text):
    in_sql = spaces_db.scalar(sa.text("SELECT hangul_bigrams(:text)"), {"text": text})
    assert sorted(in_sql) == hangul_bigrams(text)
