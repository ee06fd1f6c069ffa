"""Referral intake and the closed-loop referral lifecycle (policy-facts §5.5)."""
