"""DHCS file layouts declared as data, one generic reader and writer (CSV, XLSX)."""
