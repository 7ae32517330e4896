"""Read queries of the integrity registers, one module per register; scoping lives here.

For other apps: `officials_with_declared_interest(enterprise)` (also reachable through
`core.interests.officials_with_interest_in`) and `pledge_coverage(park)`.
"""

from integrity.selectors.declarations import officials_with_declared_interest
from integrity.selectors.pledges import pledge_coverage

__all__ = ["officials_with_declared_interest", "pledge_coverage"]
