"""Reentry: correctional facilities, the 90-day pre-release path, the warm handoff."""
