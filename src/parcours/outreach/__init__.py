"""Proactive contacts (issue 13): non-take-up found in the Caf's own data, campaigns, their effect."""
