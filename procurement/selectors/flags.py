"""Read queries of red flags."""

from procurement.choices import FlagStatus
from procurement.models import RedFlag


def blocking_flags(tender):
    """Open flags that are legal breaches on `tender`: while any exists, the next step (evaluation, award,
    contract) is refused until a discipline officer decides it."""
    return RedFlag.objects.filter(tender=tender, blocking=True, status=FlagStatus.OPEN)
