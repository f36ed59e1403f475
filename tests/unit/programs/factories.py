"""Valid programs' data and spaces' facts, with overrides: ``program_data(capacity=5)``."""

import uuid
from datetime import UTC, datetime

from services.programs.domain.schedule import SpaceFacts

NOW = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
ALL_DAY = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]
OFFICE = [{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(1, 8)]


def program_data(**overrides) -> dict:
    data = {
        "space_id": str(uuid.uuid4()),
        "title_ko": "그림책 읽기 모임",
        "title_en": "Picture-book club",
        "description_ko": "함께 읽어요",
        "description_en": "We read together",
        "fee_note": "무료 / Free",
        "category": "club",
        "audience": "children",
        "capacity": 20,
        "companions": 1,
        "selection": "first_come",
        "application_opens": "2027-01-02T00:00:00+09:00",
        "application_closes": "2027-01-10T00:00:00+09:00",
        "sessions": [{"start": "2027-01-13T10:00:00+09:00", "end": "2027-01-13T12:00:00+09:00"}],
    }
    return {**data, **overrides}


def weekly(**overrides) -> dict:
    data = {"weekday": 3, "start_time": "10:00", "end_time": "12:00", "first_date": "2027-01-13", "count": 4}
    return {**data, **overrides}


def space_facts(**overrides) -> SpaceFacts:
    data = {
        "space_id": str(uuid.uuid4()),
        "status": "published",
        "operators": [str(uuid.uuid4())],
        "name_ko": "망원 작은도서관",
        "name_en": "Mangwon Small Library",
        "district": "mapo",
        "types": ["small_library"],
        "timezone": "Asia/Seoul",
        "opening_hours": OFFICE,
        "closures": [],
    }
    return SpaceFacts(**{**data, **overrides})
