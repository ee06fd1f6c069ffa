"""Notice of Action letters: rendered to PDF from per-language templates, stored as sent."""
