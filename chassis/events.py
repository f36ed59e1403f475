"""The event envelope: CloudEvents 1.0 in structured JSON.

Every event a service publishes is one of these dicts. ``source`` + ``id`` is
unique per event, so a consumer may treat a repeat as a duplicate. Public events
carry ids, not names, emails or phone numbers.
"""

import uuid
from datetime import UTC, datetime

SPEC_VERSION = "1.0"


def envelope(source: str, type: str, subject: str, data: dict) -> dict:
    return {
        "specversion": SPEC_VERSION,
        "id": str(uuid.uuid4()),
        "source": f"/community-space/{source}",
        "type": type,
        "time": datetime.now(UTC).isoformat(),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    }


def exchange_name(service: str) -> str:
    """The topic exchange a service publishes on: nameko's ``<service>.events``."""
    return f"{service}.events"
