"""Tables, the repository and the search query: everything that speaks SQL."""
