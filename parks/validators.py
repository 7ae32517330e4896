"""统一社会信用代码 (unified social credit code) validation after GB 32100-2015."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code: digits and upper-case letters without I, O, S, V and Z.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registration authority (1 机构编制 … 9 工商, A 中央军委改革和编制办公室, N 农业, Y 其他).
# 3 (司法行政, e.g. law firms) and 4 are in use too, so every digit but 0 is accepted.
REGISTRATION_AUTHORITIES = "123456789ANY"


def credit_code_check_character(first17):
    """The 18th (check) character for the first 17 characters of a code."""
    total = sum(CREDIT_CODE_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(value):
    return (value or "").strip().upper()


def validate_credit_code(value):
    """Raise a ValidationError naming exactly what is wrong with a 统一社会信用代码."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    for position, ch in enumerate(code, start=1):
        if ch not in CREDIT_CODE_CHARSET:
            raise ValidationError(
                _(
                    "Character %(position)d (“%(char)s”) is not allowed in a unified social credit code "
                    "(digits and capital letters except I, O, S, V, Z)."
                ),
                code="credit_code_character",
                params={"position": position, "char": ch},
            )
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValidationError(
            _("The first character (“%(char)s”) is not a registration authority code."),
            code="credit_code_authority",
            params={"char": code[0]},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 must be the six digits of an administrative division code."),
            code="credit_code_division",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character is wrong: the last character should be “%(expected)s”, not “%(actual)s”. "
                "Please check the code for a typing error."
            ),
            code="credit_code_check",
            params={"expected": expected, "actual": code[17]},
        )


# Paths under /parks/ that are pages, not park profiles (see parks/urls.py).
RESERVED_PARK_CODES = frozenset({"register", "registrations", "enterprises"})


def validate_park_code(value):
    if (value or "").lower() in RESERVED_PARK_CODES:
        raise ValidationError(
            _("“%(code)s” is reserved for a page of the portal; please choose another code."),
            code="park_code_reserved",
            params={"code": value},
        )
