"""Small helpers every package may use; they import nothing of the archive."""
