"""Page arguments of the listing use cases."""

from services.spaces.domain.errors import Problems


def check_page(page, page_size, max_page: int, max_page_size: int) -> None:
    problems = Problems()
    for field, value, high in (("page", page, max_page), ("page_size", page_size, max_page_size)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            problems.add(field, f"must be an integer from 1 to {high}")
    problems.raise_if_any()
