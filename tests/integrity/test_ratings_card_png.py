"""The PNG card renders with a Chinese font and, on a server without one, falls back to the QR code and link."""

import io
import os

import pytest
from PIL import Image

from integrity import cards
from tests.integrity.factories_ratings import issue_card


def _decode(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.django_db
def test_png_card_without_a_chinese_font_still_renders_the_qr_code(world_a, monkeypatch):
    monkeypatch.setattr(cards, "cjk_font_path", lambda: None)
    card = issue_card(world_a)

    image = _decode(cards.card_png(card, width=420))

    assert image.format == "PNG"
    assert image.size == (420, round(420 * 148 / 105))


@pytest.mark.django_db
def test_png_card_with_a_chinese_font_draws_the_whole_card(world_a):
    if cards.cjk_font_path() is None:
        # CI installs fonts-wqy-microhei (.ci/run) and must run this test; a bare dev machine may not have a font.
        assert not os.environ.get("REQUIRE_SERVICES"), "no Chinese font installed (fonts-wqy-microhei)"
        pytest.skip("no Chinese font on this machine; the fallback is tested above")
    card = issue_card(world_a)

    image = _decode(cards.card_png(card, width=420))

    # The header band is drawn in the accent colour only on the full card.
    assert image.getpixel((5, 5)) != (255, 255, 255)
