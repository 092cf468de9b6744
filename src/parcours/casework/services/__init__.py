"""Write operations of the back office: tasks (tasks.py), indicators and risk (scoring.py),
segments (segments.py). The only place that changes casework's tables."""
