"""The engine: load policy, compile rules to SQL, run them over a population, explain."""
