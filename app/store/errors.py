"""The store's single exception type."""


class StoreError(Exception):
    """A store operation that cannot be served: unknown store, pruned or future version, bad key,
    corrupt or inconsistent data on disk, or a call out of the block lifecycle order."""
