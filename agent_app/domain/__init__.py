"""Pure domain model: tickets, lifecycle, roles, numbering, privacy.  No Qt, no SQL."""
