"""Pages of the separation journey, by reader: the parent, the agent, anyone (s'informer)."""
