"""Synthetic Medi-Cal population in the calaim input contract format (`generate`)."""

from calaim.data.synth.generator import generate

__all__ = ["generate"]
