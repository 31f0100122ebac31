"""`ogi case receive` with the applicant's details, `ogi case show` to whom, `ogi fee quote`,
`ogi keys rotate`: the identity number in clear only where DESIGN §12 allows it."""

from __future__ import annotations

import json
import os

import pytest

from tests.cli_support import ogi, ogi_json, one_line_error
from workflow.data_key import generate_key

NUMBER = "11010519491231002X"


@pytest.fixture
def env(any_db: str) -> dict[str, str]:
    e = {**os.environ, "OGI_DATABASE_URL": any_db, "OGI_DATA_KEY": generate_key(), "OGI_LANG": "en"}
    e.pop("OGI_USER", None)
    ogi(e, "organ", "add", "east", "--name", "东区")
    ogi(e, "organ", "add", "west", "--name", "西区")
    ogi(e, "user", "add", "li", "--organ", "east", "--role", "caseworker", "--email", "li@example.org")
    ogi(e, "user", "add", "zhao", "--organ", "west", "--role", "admin", "--email", "zhao@example.org")
    return e


def receive(env: dict[str, str], on: str, *extra: str, request: str = "申请公开道路维修合同") -> dict:
    return ogi_json(env, "case", "receive", "--organ", "east", "--applicant-type", "natural_person",
                    "--applicant", "张三", "--channel", "online", "--received-on", on, "--request", request,
                    "--id-kind", "resident_id", "--id-number", NUMBER, *extra)  # fmt: skip


def test_receive_takes_the_details_and_shows_the_number_to_the_operator_and_the_organ_only(
    env: dict[str, str],
) -> None:
    c = receive(env, "2026-03-02", "--phone", "13800000000", "--email", "zhang@example.org",
                "--address", "红星镇幸福路1号", "--postcode", "150000")  # fmt: skip
    assert c["applicant_details"]["id_number"] == "1101**********002X"  # the receipt's echo is masked
    assert c["applicant_details"]["postcode"] == "150000"
    assert ogi_json(env, "case", "show", c["ref"])["applicant_details"]["id_number"] == NUMBER
    assert ogi_json(env, "case", "show", c["ref"], "--as", "li")["applicant_details"]["id_number"] == NUMBER
    shown = ogi_json(env, "case", "show", c["ref"], "--as", "zhao")  # an administrator of another organ
    assert shown["applicant_details"]["id_number"] == "1101**********002X"
    assert NUMBER in ogi(env, "case", "show", c["ref"]).stdout
    listed = ogi_json(env, "case", "list")
    assert "applicant_details" not in listed[0] and NUMBER not in json.dumps(listed)
    assert NUMBER not in ogi(env, "case", "list").stdout
    assert [r["ref"] for r in ogi_json(env, "case", "list", "--id-number", NUMBER.lower())] == [c["ref"]]


def test_a_wrong_check_character_is_one_line_and_writes_nothing(env: dict[str, str]) -> None:
    p = ogi(env, "case", "receive", "--organ", "east", "--applicant-type", "natural_person", "--applicant",
            "张三", "--channel", "online", "--received-on", "2026-03-02", "--id-kind", "resident_id",
            "--id-number", "11010519491231002Y", ok=False)  # fmt: skip
    one_line_error(p, "GB 11643")
    assert "11010519491231002Y" not in p.stderr
    assert ogi_json(env, "case", "list") == []


def test_fee_quote_prints_the_position_the_tiers_and_the_amount(env: dict[str, str]) -> None:
    refs = [receive(env, f"2026-03-{d:02d}", request=f"第{d}件")["ref"] for d in range(2, 14)]
    q = ogi_json(env, "fee", "quote", refs[-1], "--method", "count")
    assert q == {"method": "count", "count": 12, "pages": None, "amount": 100,
                 "tiers": [{"from": 11, "to": 30, "units": 1, "price": 100, "subtotal": 100}]}  # fmt: skip
    text = ogi(env, "fee", "quote", refs[0], "--method", "pages", "--pages", "101").stdout
    assert "101 pages" in text and "amount: 720 yuan" in text
    one_line_error(ogi(env, "fee", "quote", refs[0], "--method", "pages", ok=False), "number of pages")
    c = ogi_json(env, "case", "advance", refs[-1], "notify_fee", "--on", "2026-03-20", "--method", "count")
    assert (c["state"], c["events"][-1]["amount"], c["events"][-1]["count"]) == ("awaiting_fee", "100", 12)


def test_a_repeated_request_is_pointed_out_on_receipt(env: dict[str, str]) -> None:
    first = receive(env, "2026-03-02", request="申请公开2025年红星镇道路维修工程的招标文件和合同")
    again = receive(env, "2026-03-09", request="申请公开2025年红星镇道路维修工程的招标文件及合同")
    assert [s["ref"] for s in again["similar_earlier"]] == [first["ref"]]
    text = ogi(env, "case", "receive", "--organ", "east", "--applicant-type", "natural_person",
               "--applicant", "张三", "--channel", "online", "--received-on", "2026-03-10",
               "--request", "申请公开2025年红星镇道路维修工程的招标文件、合同", "--id-kind", "resident_id",
               "--id-number", NUMBER).stdout  # fmt: skip
    assert "closely matching request" in text and first["ref"] in text and again["ref"] in text


def test_keys_rotate_re_encrypts_under_the_new_key(env: dict[str, str]) -> None:
    ref = receive(env, "2026-03-02")["ref"]
    rotated = {**env, "OGI_DATA_KEY": generate_key(), "OGI_DATA_KEY_PREVIOUS": env["OGI_DATA_KEY"]}
    assert "re-encrypted 1 identity numbers" in ogi(rotated, "keys", "rotate").stdout
    only_new = {k: v for k, v in rotated.items() if k != "OGI_DATA_KEY_PREVIOUS"}
    assert ogi_json(only_new, "case", "show", ref)["applicant_details"]["id_number"] == NUMBER
    one_line_error(ogi(env, "case", "show", ref, ok=False), "OGI_DATA_KEY_PREVIOUS")
