"""Read queries of parks/, shared by pages, API, exports and dashboard panels. Scoping lives here."""

from parks.models import Park


def public_parks():
    """Active parks, for the public home."""
    return Park.objects.filter(is_active=True).order_by("name")
