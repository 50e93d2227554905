"""The window around the views: main window, navigation, banner, idle and quick-exit guard."""
