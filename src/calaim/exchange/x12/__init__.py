"""X12 5010: 837P claims out, 835 remittances in."""
