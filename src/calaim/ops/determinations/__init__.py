"""Members' engine determinations as operations see them: scoped, Part 2 filtered, audited."""
