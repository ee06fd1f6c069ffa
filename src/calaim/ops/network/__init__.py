"""Community networks: a lead agency contracts, routes, bills and pays for its member CBOs."""
