import io

import pytest
from django.core.management import call_command


@pytest.fixture
def compiled_catalogues(settings):
    """The .po catalogues compiled to .mo and loaded afresh, for tests that assert Chinese text.

    Re-setting LOCALE_PATHS sends `setting_changed`, on which Django drops the catalogues it has cached, so
    a catalogue compiled during the run is the one used."""
    call_command("compiletranslations", stdout=io.StringIO())
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
