"""Test settings: the project settings with fast hashing, in-process tasks and in-memory side channels.

With DATABASE_URL / REDIS_URL set (CI) the suite runs on PostgreSQL and Redis.
"""

import os

os.environ.setdefault("DEBUG", "1")

from portal.settings import *  # noqa: E402,F403  (test settings extend the project's)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks queued by services run in-process when their transaction commits; tests of the real worker
# (tests/services/) start a worker against Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# Uploaded test files live only as long as the test process.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# Serve static files from the finders, as runserver does: live_server pages (browser tests) need them and
# there is no collectstatic in a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
