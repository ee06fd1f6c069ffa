"""California business days (state holidays as data) and authorization decision clocks."""
