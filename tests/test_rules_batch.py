"""The import's BatchChecker gives check_record's answers, row for row: the same clean record,
the same warnings, the same problems; and the plain-URL shortcut accepts only source URLs."""

import random

import pytest

from aid.lookups import BatchLookup
from aid.rules import PLAIN_SOURCE_URL, BatchChecker, check_record, is_uri_with_host
from tests.builders import SOURCE, donor, record, row

# Values for every column: plain ones, and every kind of trouble a researcher's file can hold.
VALUES = {
    "record": ["pledge", "delivery", "valuation", "Pledge", " delivery ", "gift", ""],
    "ref": ["R-1", "R-2", " R-3 ", "r.4_x", "", "bad ref", "OLD", "OLD-D", "x" * 101],
    "donor": ["NL", "NO", "nl", " NL", "XX", "UK", "", "DE"],
    "programme": ["PURL", "purl", "BILATERAL", "", "purl scheme", "P" * 21],
    "package": ["", "PURL-1", " PURL-2 ", "bad package", "p" * 41],
    "pledge_ref": ["", "OLD", "NOPE", " OLD "],
    "date": ["2025-08-04", "2025-07-01", "2025-02-30", "2999-01-01", "", "20250804", " 2025-08-04 "],
    "amount": [
        "100",
        "0",
        "0.0",
        "1.50",
        "12.345",
        "1.500",
        "007",
        "-5",
        "+5",
        "1,000",
        "1e3",
        "",
        " 7 ",
        "9999999999999999.99",
        "10000000000000000",
        "1.1234567890123",
        "12.5",
    ],  # fmt: skip
    "currency": ["EUR", "USD", "JPY", "KWD", "eur", "", "EUX"],
    "amount_qualifier": ["", "exact", "at_least", "approx", "maybe", "EXACT"],
    "description": ["", "Some text", "  padded  "],
    "source_url": [
        SOURCE,
        "https://example.org/a%20b",
        "https://Example.org/x",
        "https://example.org:8080/x",
        "ftp://x.org/a",
        "",
        "https://example.org/a b",
        "http://xn--xample-ova.org/",
        "https://ëxample.org/",
    ],  # fmt: skip
    "source_title": ["", "A title", "t" * 501],
    "confidence": ["", "high", "LOW", "sure"],
    "source_kind": ["", "official", "Media", "blog"],
}


@pytest.fixture
def ledger():
    donor("NL"), donor("NO")
    record("pledge", ref="OLD", amount="500", date="2025-08-01")


def both_answers(rows: list[dict]):
    lookup = BatchLookup(rows)
    checker = BatchChecker(lookup)  # one checker for the whole file, as the import uses it
    for raw in rows:
        yield checker.check(raw), check_record(raw, lookup)


def test_every_value_of_every_column_is_judged_alike(ledger):
    rows = [{**row("pledge", ref=f"R-{column}-{i}"), column: value} for column, values in VALUES.items()
            for i, value in enumerate(values)]  # fmt: skip
    rows += [{**row("delivery", ref=f"D-{column}-{i}", pledge_ref="OLD"), column: value}
             for column, values in VALUES.items() for i, value in enumerate(values)]  # fmt: skip
    for batch, single in both_answers(rows):
        assert batch == single


def test_random_rows_are_judged_alike(ledger):
    chance = random.Random(10)
    # Mostly the first (plain) value, so that many rows pass and the shortcuts are taken.
    pick = lambda values: chance.choice(values) if chance.random() < 0.25 else values[0]  # noqa: E731
    rows = [{column: pick(values) for column, values in VALUES.items()} for _ in range(3000)]
    answers = list(both_answers(rows))
    for batch, single in answers:
        assert batch == single
    assert sum(1 for (clean, _), _ in answers if clean) > 100, "the sample holds records that pass"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a", "http://a.bc", "https://sub.example.org/p?q=1&r=(2)#frag",
        "https://example.org/[x]", "https://example.org/~a/b;c=d", "https://a-b.example.org/x:y@z",
        "https://example.org", "https://e.org/" + "a" * 990, "https://e.org/" + "a" * 1000,
        "https://-bad.org/", "https://bad-.org/", "https://example.c/", "https://example.123/",
        "https://example.org/a b", "https://example.org/%zz", "https://example.org/é", "https://ex_ample.org/",
    ],
)  # fmt: skip
def test_the_plain_url_shortcut_accepts_only_what_the_full_test_accepts(url):
    if len(url) <= 1000 and PLAIN_SOURCE_URL.fullmatch(url):
        assert is_uri_with_host(url)
