"""Serving many readers at once: the ledger version, the shared response cache, read replicas."""
