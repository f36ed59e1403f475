"""The applicants of a program as CSV, for operators who work in a spreadsheet.

UTF-8 with a byte order mark, so that Excel reads Korean names as Korean; headers in Korean
and English; times in Seoul's local time, as operators read them. Text a person typed is
kept from being read as a formula (OWASP's CSV injection advice).
"""

import csv
import io
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response

from gateway.api import endpoint
from gateway.programs.admin import OPERATORS, PROGRAM, TAGS
from gateway.programs.common import READ_ERRORS, all_applicants, programs_bp

BOM = "\ufeff"
LOCAL_ZONE = ZoneInfo("Asia/Seoul")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    ("신청번호 / Application", "id"),
    ("이름 / Name", "name"),
    ("이메일 / Email", "email"),
    ("전화 / Phone", "phone"),
    ("인원 / Party size", "party_size"),
    ("상태 / Status", "status"),
    ("대기 순번 / Waitlist position", "waitlist_position"),
    ("신청 시각 / Applied at", "created_at"),
    ("참석 회차 / Sessions attended", "attendance"),
    ("메모 / Note", "note"),
]
TYPED_BY_PEOPLE = {"name", "email", "note"}


@endpoint(programs_bp, "GET", f"{PROGRAM}/applications.csv", roles=OPERATORS, tags=TAGS, errors=READ_ERRORS)
def export_applicants(program_id: UUID):
    """Every application of a program as CSV (UTF-8 with BOM), with contacts, for a spreadsheet."""
    rows = all_applicants(str(program_id))
    return Response(
        applicants_csv(rows),
        status=200,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="program-{program_id}-applicants.csv"'},
    )


def applicants_csv(applications: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for header, _ in COLUMNS])
    for application in applications:
        writer.writerow([cell(key, application.get(key)) for _, key in COLUMNS])
    return BOM + out.getvalue()


def cell(key: str, value) -> str:
    """One value as a spreadsheet shows it."""
    if value is None:
        return ""
    if key == "created_at":
        return datetime.fromisoformat(value).astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
    if key == "attendance":
        return " ".join(str(n) for n in value)
    text = str(value)
    if key in TYPED_BY_PEOPLE and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
