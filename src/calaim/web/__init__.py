"""The web workspace: server-rendered pages (Jinja2 + HTMX) inside the API app, per role."""
