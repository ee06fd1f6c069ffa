"""Loading: read policy YAML/CSV, validate it, resolve dates and plan overlays."""
