"""The SMS channel: an interface and a logging backend (the demo's and the tests')."""

import abc
import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.sms")


class BaseSmsBackend(abc.ABC):
    """Send one text message; raise on failure so the Celery task retries."""

    @abc.abstractmethod
    def send(self, *, phone, text):
        """Deliver `text` to the mobile number `phone`."""


class LoggingSmsBackend(BaseSmsBackend):
    """Writes the message to the log instead of sending it. Keeps the last messages for tests."""

    sent: list = []

    def send(self, *, phone, text):
        logger.info("SMS to %s: %s", phone, text)
        LoggingSmsBackend.sent.append((phone, text))
        del LoggingSmsBackend.sent[:-100]


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
