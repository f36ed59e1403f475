"""The rules of reservations in plain Python: no nameko, no SQLAlchemy."""
