"""Compile resolved rules into SQL steps (SQLGlot), independent of any engine."""
