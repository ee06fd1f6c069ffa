"""Setting up a deployment: organizations, users and API keys (the `calaim org` / `user` CLI)."""
