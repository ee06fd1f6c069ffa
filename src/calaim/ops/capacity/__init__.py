"""A provider's own capacity (places, beds, waitlist), which feeds the navigator and assignment."""
