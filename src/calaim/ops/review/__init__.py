"""The utilization-review desk: one request with everything needed to decide it, and the
reviewer's steps (approve with terms, pend for information, extend, deny), each recorded,
audited, and sent to the member and the provider as a Notice of Action letter."""
