"""The iCalendar feed: RFC 5545 line ends, folding, escaping."""

from datetime import UTC, datetime

from services.reservations.domain import ical

NOW = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)


def test_a_feed_with_one_event():
    text = ical.calendar(
        [
            {
                "uid": "r1@cs",
                "start": datetime(2026, 5, 5, 1, tzinfo=UTC),
                "end": datetime(2026, 5, 5, 2, tzinfo=UTC),
                "summary": "Room; A, B",
                "description": "line1\nline2",
            }
        ],
        NOW,
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20260505T010000Z" in lines and "DTEND:20260505T020000Z" in lines
    assert "SUMMARY:Room\\; A\\, B" in lines and "DESCRIPTION:line1\\nline2" in lines
    assert "\n" not in text.replace("\r\n", "")


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    folded = ical.fold("DESCRIPTION:" + "도서관" * 40)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == "DESCRIPTION:" + "도서관" * 40


def test_an_empty_feed_is_still_a_calendar():
    assert ical.calendar([], NOW).startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
