"""The public home (the list of parks) and the officials' home composed of each app's panel."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.dashboard import panels_for
from parks.selectors import public_parks


def public_home(request):
    """Anyone: the parks on the platform, with links to their profiles."""
    return render(request, "core/public_home.html", {"parks": public_parks()})


@login_required
def home(request):
    """Signed-in users: the home page, composed of the dashboard panels their roles may see."""
    return render(request, "core/home.html", {"panels": panels_for(request)})
