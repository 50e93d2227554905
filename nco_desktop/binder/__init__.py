"""The exhibit binder: a court-ready PDF built from the vault (Qt-free)."""
