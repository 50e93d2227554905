"""The Timeline view: every entry in time order, with filters."""
