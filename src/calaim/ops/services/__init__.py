"""Community Supports service episodes: deliveries under an authorization, caps at entry."""
