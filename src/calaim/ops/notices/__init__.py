"""Notices sent to members and organizations (closed-loop and decision notices): read only."""
