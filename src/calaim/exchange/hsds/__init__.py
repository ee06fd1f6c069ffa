"""The provider directory as Open Referral HSDS 3.0: organizations, services, locations."""
