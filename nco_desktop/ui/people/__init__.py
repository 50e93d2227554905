"""The People & orders view: the people in the case and the orders."""
