"""ECM provider assignment: an explainable ranking, plan assignment, overrides, member changes."""
