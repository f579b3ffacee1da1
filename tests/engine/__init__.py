"""The engine: matching, the attribute-ruler index, parse tiers, bounded cost, offsets,
the cache."""
