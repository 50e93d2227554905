"""Importing from the window: the running import, its progress and its summary."""
