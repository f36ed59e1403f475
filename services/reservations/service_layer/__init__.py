"""One function per use case: load, check access, call the domain, write, publish, commit."""
