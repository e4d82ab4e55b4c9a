"""The public, read-only REST API (SPEC §6): `/api/v1/`."""
