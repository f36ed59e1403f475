"""Asserting on RFC 9457 problem documents from the gateway's Flask test client."""


def problem(response, status: int) -> dict:
    """The problem document of ``response``, after checking its status and media type."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    doc = response.get_json()
    assert doc["status"] == status and doc["type"].startswith("/problems/")
    return doc


def fields_of(doc: dict) -> set[str]:
    return {error["field"] for error in doc["errors"]}
