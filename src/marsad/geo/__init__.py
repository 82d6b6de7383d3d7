"""Places: the gazetteer (embedded default + imported) and the resolver."""
