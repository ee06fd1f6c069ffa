"""Recording and revoking members' 42 CFR Part 2 consents."""
