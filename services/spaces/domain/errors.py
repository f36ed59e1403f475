"""Collecting every problem of an input before answering, so a client fixes them all at once."""

from chassis.errors import Invalid


class Problems:
    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.items: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": self.prefix + field, "message": message})

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.invalid()

    def invalid(self) -> Invalid:
        """One ``Invalid`` naming every problem (the first five in its detail)."""
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in self.items[:5])
        return Invalid(detail, {"errors": self.items})
