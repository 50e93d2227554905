"""The detail pane: the selected entry whole, its pictures, documents and the user's note."""
