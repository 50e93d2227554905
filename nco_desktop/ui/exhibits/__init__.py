"""The Exhibits view: what the binder prints, in order, with labels."""
