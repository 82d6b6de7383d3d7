"""Cross-report resolution: events from records, tally reconciliation, analyst overrides."""
