"""Messages between the organizations on a referral or a member: threaded, audited, Part 2 aware."""
