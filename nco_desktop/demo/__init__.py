"""The demo case: a fictional harassment case made by code at first use (Qt-free)."""
