"""The Binder view: cover, options, build, preview, print and save."""
