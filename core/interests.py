"""Declared interests between officials and enterprises, for recusal (回避).

Complaint routing and procurement ask `officials_with_interest_in(enterprise)` before assigning anyone. The
integrity app — which owns interest declarations (亲属经商办企业报告) — registers a provider here; each
provider returns the ids of users with a declared interest in the enterprise. With no provider registered
the answer is the empty set.
"""

_PROVIDERS = []


def register_interest_provider(provider):
    """`provider(enterprise) -> iterable of user ids`."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def officials_with_interest_in(enterprise):
    """Ids of the users who declared an interest in `enterprise` (an Enterprise or its id)."""
    if enterprise is None:
        return frozenset()
    ids = set()
    for provider in _PROVIDERS:
        ids.update(provider(enterprise))
    return frozenset(ids)
