def register(router):
    """Registers this module's viewsets on the integrity API router."""
