"""Reading the one chronological list of everything in the vault."""
