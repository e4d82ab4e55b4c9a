"""Releases (SPEC §10): the published ledger frozen as a checksummed data package, with a changelog."""
