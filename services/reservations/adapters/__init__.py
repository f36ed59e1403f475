"""Tables, repositories and locks: the reservations service in PostgreSQL."""
