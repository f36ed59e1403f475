"""Each space's booking policy, the platform-wide capacity cap, and the capacity they leave.

An operator sets the policy; a space without one books under ``DEFAULTS``. A city
administrator's cap (as during COVID-19) applies on top of every space's own
percentage and is never written into the policies, so lifting it (``100``) restores
each space's own rule.
"""

from chassis.errors import Invalid

DEFAULTS = {
    "approval": "manual",
    "slot_minutes": 30,
    "min_minutes": 30,
    "max_minutes": 240,
    "notice_minutes": 60,
    "horizon_days": 60,
    "max_party_size": None,
    "active_quota": 3,
    "cancel_deadline_minutes": 60,
    "capacity_percent": 100,
}
# field: (lowest, highest); max_party_size may also be null (no limit beyond capacity)
BOUNDS = {
    "slot_minutes": (5, 1440),
    "min_minutes": (5, 10080),
    "max_minutes": (5, 10080),
    "notice_minutes": (0, 43200),
    "horizon_days": (1, 730),
    "max_party_size": (1, 10000),
    "active_quota": (1, 100),
    "cancel_deadline_minutes": (0, 43200),
    "capacity_percent": (0, 100),
}


def clean_policy(data) -> dict:
    """A whole policy (the ``PUT`` body), copied through an allow-list; every problem at once."""
    if not isinstance(data, dict):
        raise Invalid.field("policy", "must be an object")
    problems = [{"field": name, "message": "unknown field"} for name in sorted(set(data) - set(DEFAULTS))]
    policy = {**DEFAULTS, **{k: v for k, v in data.items() if k in DEFAULTS}}
    if policy["approval"] not in ("manual", "automatic"):
        problems.append({"field": "approval", "message": "must be manual or automatic"})
    for name, (low, high) in BOUNDS.items():
        value = policy[name]
        if value is None and name == "max_party_size":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append({"field": name, "message": f"must be an integer from {low} to {high}"})
    if not problems:
        problems = _coherence(policy)
    if problems:
        raise Invalid("; ".join(f"{p['field']}: {p['message']}" for p in problems[:5]), {"errors": problems})
    return policy


def _coherence(policy: dict) -> list[dict]:
    slot, problems = policy["slot_minutes"], []
    if 1440 % slot:
        problems.append({"field": "slot_minutes", "message": "must divide a day (e.g. 15, 30, 60, 120)"})
    for name in ("min_minutes", "max_minutes"):
        if policy[name] % slot:
            problems.append({"field": name, "message": f"must be a multiple of slot_minutes ({slot})"})
    if policy["min_minutes"] > policy["max_minutes"]:
        problems.append({"field": "max_minutes", "message": "must be at least min_minutes"})
    return problems


def effective_capacity(capacity: int, policy: dict, platform_percent: int) -> int:
    """floor(capacity × min(policy %, platform %) / 100), in integers so no float rounds it."""
    return capacity * min(policy["capacity_percent"], platform_percent) // 100


def largest_party(capacity: int, policy: dict, platform_percent: int) -> int:
    allowed = effective_capacity(capacity, policy, platform_percent)
    if policy["max_party_size"] is not None:
        allowed = min(allowed, policy["max_party_size"])
    return allowed


def clean_platform_percent(percent) -> int:
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise Invalid.field("percent", "must be an integer from 0 to 100 (100 lifts the cap)")
    return percent
