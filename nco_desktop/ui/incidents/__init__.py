"""The Incidents view: the user's own log with linked evidence."""
