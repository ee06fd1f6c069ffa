"""DHCS mental health screening tools: scoring and "no wrong door" routing."""
