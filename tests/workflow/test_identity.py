"""Identity numbers: the GB 11643 and GB 32100 check characters against published examples, and
the masked form lists and logs show."""

from __future__ import annotations

import pytest

from workflow.errors import InvalidInput
from workflow.identity import check_id_number, credit_check, mask, resident_check


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_published_resident_identity_numbers_pass_the_gb_11643_check(number: str) -> None:
    assert resident_check(number[:17]) == number[17]
    assert check_id_number("resident_id", number) == number


@pytest.mark.parametrize("code", ["91350100M000100Y43", "914403001922038216"])
def test_published_unified_social_credit_codes_pass_the_gb_32100_check(code: str) -> None:
    assert credit_check(code[:17]) == code[17]
    assert check_id_number("credit_code", code) == code


def test_a_typed_lower_case_x_or_full_width_digits_are_the_same_number() -> None:
    assert check_id_number("resident_id", "１１０１０５１９４９１２３１００２x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("kind", "number", "why"),
    [
        ("resident_id", "11010519491231002Y", "GB 11643"),
        ("resident_id", "1101051949123100", "18"),
        ("credit_code", "91350100M000100Y44", "GB 32100"),
        ("credit_code", "91350100I000100Y43", "no I"),
        ("passport", "E12345678", "unknown identity document kind"),
    ],
)
def test_a_wrong_number_is_one_line_that_never_repeats_it(
    kind: str, number: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGI_LANG", "en")
    from config.settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(InvalidInput) as refused:
            check_id_number(kind, number)
    finally:
        get_settings.cache_clear()
    message = str(refused.value)
    assert why in message and number not in message and "\n" not in message


def test_a_masked_number_keeps_at_most_half_of_it() -> None:
    assert mask("11010519491231002X") == "1101**********002X"
    assert mask("E1234567") == "E1****67"
    assert mask("AB") == "**" and mask(None) is None
