"""Report layouts declared as data (YAML), loaded and checked by `calaim.reports.layout`."""
