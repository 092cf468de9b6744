"""The benefits back office: tasks from every app's events, one queue ordered by the risk that a
family's payments break, and population segments (GAP) routed to their teams (decision 0014)."""
