"""The home page and the menu: above every workflow, so they may show each one's work."""
