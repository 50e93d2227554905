"""The Patterns view: contacts per day and by hour for one person."""
