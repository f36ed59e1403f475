"""The web client's pages, one blueprint per area."""
