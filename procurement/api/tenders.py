def register(router):
    """Registers this module's viewsets on the procurement API router."""
