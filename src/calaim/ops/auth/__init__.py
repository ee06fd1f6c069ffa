"""Authentication: password hashes, signed expiring tokens, organization API keys."""
