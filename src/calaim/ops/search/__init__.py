"""Search: members, referrals and authorizations by name, CIN, birth date, phone or number."""
