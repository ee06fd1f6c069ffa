"""Authorizations of ECM and Community Supports: requests, decision clocks, decisions, notices."""
