"""The SMS channel: an interface, the error a gateway raises, and a logging backend (the demo's and the
tests'). A real gateway is a subclass of `BaseSmsBackend` named by the ``SMS_BACKEND`` setting."""

import abc
import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.sms")


class SmsError(OSError):
    """A gateway failed to accept a message. An ``OSError``, so the notification task retries it like an
    SMTP failure."""


class BaseSmsBackend(abc.ABC):
    """Sends one text message; raises `SmsError` (or any ``OSError``) when the gateway refuses it."""

    @abc.abstractmethod
    def send(self, *, phone, text):
        """Deliver `text` to the mobile number `phone`."""


def mask_phone(phone):
    # Logs are read by more people than the phone book: keep the first three and last four digits.
    return phone if len(phone) < 8 else f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class LoggingSmsBackend(BaseSmsBackend):
    """Writes the message to the log instead of sending it, and keeps the last 100 in `sent` for tests."""

    sent: list = []

    def send(self, *, phone, text):
        logger.info("SMS to %s: %s", mask_phone(phone), text)
        LoggingSmsBackend.sent.append((phone, text))
        del LoggingSmsBackend.sent[:-100]


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
