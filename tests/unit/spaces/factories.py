"""A valid space's data, with overrides: ``space_data(capacity=5)``."""


def space_data(**overrides) -> dict:
    data = {
        "name_ko": "망원 작은도서관",
        "name_en": "Mangwon Small Library",
        "description_ko": "동네 작은도서관",
        "description_en": "A neighbourhood library",
        "address_ko": "서울특별시 마포구 망원로 12",
        "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
        "types": ["small_library"],
        "district": "mapo",
        "lat": 37.5551,
        "lng": 126.9014,
        "capacity": 20,
        "floor_area_m2": 66.0,
        "amenities": ["wifi"],
        "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00"}],
        "phone": "02-123-4567",
        "email": "library@example.org",
    }
    return {**data, **overrides}
