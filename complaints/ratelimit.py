"""Rate limit of the anonymous receipt page: at most `LIMIT` failed codes per client per window.

Only failures count, since a guesser does nothing but fail while a reporter with the right code may act
several times. The client is identified by its address, but the address is never written anywhere: the
cache key is an HMAC of it (keyed from SECRET_KEY and the current window), and the entry expires with the
window. A blocked client gets the same answer whatever code it sends, right or wrong.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

LIMIT = 10
WINDOW_SECONDS = 600
_PREFIX = "complaints:receipt-attempts:"


def _window():
    return int(time.time() // WINDOW_SECONDS)


def _key(request, window=None):
    window = _window() if window is None else window
    secret = hashlib.sha256(b"complaints.receipt-ratelimit:" + settings.SECRET_KEY.encode()).digest()
    client = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(secret, f"{window}:{client}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{_PREFIX}{digest}"


def is_blocked(request):
    return (cache.get(_key(request)) or 0) >= LIMIT


def record_failure(request):
    key = _key(request)
    # add() is a no-op when the key exists; incr() is atomic on Redis and memcached.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
