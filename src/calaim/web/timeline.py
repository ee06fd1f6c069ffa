"""The referral timeline's step order lives with the referrals (the API shows it too)."""

from __future__ import annotations

from calaim.ops.referrals.timeline import in_step_order

__all__ = ["in_step_order"]
