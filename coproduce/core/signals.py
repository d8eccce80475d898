"""Signal handlers for the core (none needed yet beyond the account adapter)."""
