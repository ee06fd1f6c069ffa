"""Population Health Management: risk scores and tiers for every member (docs/phm.md)."""
