"""Evaluation: did a Community Support or ECM pay off, and for whom (matched DiD over claims)."""
