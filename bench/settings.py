"""Settings of the benchmark's gunicorn: the portal's own, with the URLconf that adds the bare views.

Everything else (database, secret key, DEBUG=0) comes from the environment that `bench/run.py` sets, exactly
as in production; nothing here is shipped with the portal.
"""

from portal.settings import *  # noqa: F403  (the portal's settings, unchanged but for the URLconf)

ROOT_URLCONF = "bench.urls"
