import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from parks.validators import (
    CREDIT_CODE_CHARSET,
    credit_code_check_character,
    normalize_credit_code,
    validate_credit_code,
    validate_park_code,
)
from tests.parks.factories import make_credit_code

GOOD_CODES = [
    "91350100M000100Y43",  # the example printed in GB 32100-2015
    "91110000600037341L",
    "91310000MA1FL3H906",
]


def error_of(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    error = excinfo.value.error_list[0]
    with translation.override("en"):
        return error.code, str(error.message) % error.params if error.params else str(error.message)


@pytest.mark.parametrize("code", GOOD_CODES)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_lower_case_and_surrounding_spaces_are_accepted():
    validate_credit_code("  91350100m000100y43 ")
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize("seed", range(50))
def test_generated_codes_have_a_correct_check_character(seed):
    validate_credit_code(make_credit_code(seed))


def test_check_character_of_the_standard_example_is_3():
    assert credit_code_check_character("91350100M000100Y4") == "3"


def test_check_character_is_always_in_the_charset():
    assert {credit_code_check_character(f"9135010000000{n:04d}") for n in range(200)} <= set(CREDIT_CODE_CHARSET)


@pytest.mark.parametrize("code,count", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_wrong_length_names_the_length(code, count):
    error_code, message = error_of(code)
    assert error_code == "credit_code_length"
    assert "18 characters" in message and f"has {count}" in message


@pytest.mark.parametrize(
    "code,position,char",
    [
        ("91350100M000100I43", 16, "I"),  # I, O, S, V, Z are excluded to avoid confusion with digits
        ("9135O100M000100Y43", 5, "O"),
        ("91350100M00010-Y43", 15, "-"),
    ],
)
def test_bad_character_names_its_position(code, position, char):
    error_code, message = error_of(code)
    assert error_code == "credit_code_character"
    assert f"Character {position}" in message and f"“{char}”" in message


def test_division_code_must_be_digits():
    code = "91A50100M000100Y4"
    error_code, message = error_of(code + credit_code_check_character(code))
    assert error_code == "credit_code_division"
    assert "administrative division" in message


def test_wrong_check_character_names_the_expected_one():
    error_code, message = error_of("91350100M000100Y44")
    assert error_code == "credit_code_check"
    assert "should be “3”" in message and "not “4”" in message


def test_error_messages_are_translatable():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y44")
    assert excinfo.value.error_list[0].message.__class__.__name__ == "__proxy__"


@pytest.mark.parametrize("code", ["register", "registrations", "Enterprises"])
def test_park_codes_of_portal_pages_are_reserved(code):
    with pytest.raises(ValidationError):
        validate_park_code(code)


def test_ordinary_park_code_is_accepted():
    validate_park_code("yzw")


def test_unknown_registration_authority_is_named():
    code = "B1350100M000100Y4"
    error_code, message = error_of(code + credit_code_check_character(code))
    assert error_code == "credit_code_authority"
    assert "“B”" in message


def test_law_firm_codes_of_the_justice_authority_are_accepted():
    code = "31110000E00017891"
    validate_credit_code(code + credit_code_check_character(code))
