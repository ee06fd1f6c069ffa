"""Files on referrals: PDF and images, checked by content, stored behind one storage interface."""
