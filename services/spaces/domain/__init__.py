"""The rules of the spaces service in plain Python: no nameko, no SQLAlchemy."""
