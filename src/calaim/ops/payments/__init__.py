"""Payment models a provider can plan on: cash flow and a plan's cost, side by side (issue 17)."""
