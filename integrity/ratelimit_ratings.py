"""Rate limit of the public rating page and the rating API: at most `LIMIT` rating submissions per client
address per `WINDOW_SECONDS`, counted in the cache only.

The approach of `complaints.ratelimit` (whose helper counts failed receipt codes, not submissions): the address
is never written anywhere — the cache key is an HMAC of it, keyed from SECRET_KEY and the current window, and
the entry expires with the window. Every attempt counts, refused ones too, so trying many browser ids from one
address is bounded as well. Enough for a service hall where many visitors share one address.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

LIMIT = 20
WINDOW_SECONDS = 3600
_PREFIX = "integrity:rating-attempts:"


def _window():
    return int(time.time() // WINDOW_SECONDS)


def _key(request, window=None):
    window = _window() if window is None else window
    secret = hashlib.sha256(b"integrity.rating-ratelimit:" + settings.SECRET_KEY.encode()).digest()
    client = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(secret, f"{window}:{client}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{_PREFIX}{digest}"


def is_blocked(request):
    return (cache.get(_key(request)) or 0) >= LIMIT


def record_attempt(request):
    key = _key(request)
    # add() is a no-op when the key exists; incr() is atomic on Redis and memcached.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
