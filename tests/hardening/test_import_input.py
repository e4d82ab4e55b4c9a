"""Import input: source URLs must be RFC 3986 URIs (the API says `format: uri`); NUL characters are refused."""

import pytest

from aid.importing import import_ledger
from aid.rules import is_source_url
from tests.builders import donor

HEADER = "record,ref,donor,programme,date,amount,currency,source_url\n"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b",
        "https://example.org/ä",
        "https://ëxample.org/",
        'https://example.org/"quoted"',
        "https://example.org/<script>",
        "https://example.org/100%",
        "https://example.org/%zz",
        "https://example.org/a|b",
        "https://example.org/{x}",
        "javascript:alert(1)",
        "https:///nohost",
    ],
)
def test_not_a_uri_is_refused_with_line_and_column(url):
    donor("NL", "Netherlands")
    report = import_ledger(HEADER + f'pledge,NL-1,NL,PURL,2025-08-04,1,EUR,"{url.replace(chr(34), chr(34) * 2)}"\n')
    assert not report.ok
    assert report.problems[0].startswith(f"line 2, column source_url: {url!r}: not an http(s) URL")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a%20b",
        "https://xn--xample-ova.org/",
        "http://example.org/p?q=1&r=(2)#frag",
        "https://example.org:8080/x",
    ],
)
def test_a_uri_is_accepted(url):
    assert is_source_url(url)


def test_the_admin_source_form_refuses_an_iri(admin_client):
    response = admin_client.post("/admin/aid/source/add/", {"url": "https://example.org/ä", "title": "x", "kind": ""})
    assert response.status_code == 200 and "RFC 3986" in response.content.decode()


def test_a_nul_character_in_an_import_is_a_line_and_column_problem_not_a_crash():
    donor("NL", "Netherlands")
    report = import_ledger(HEADER + "pledge,NL-1,NL,PURL,2025-08-04,1,EUR,https://example.org/a\x00b\n")
    assert not report.ok
    assert report.problems == [
        "line 2, column source_url: 'https://example.org/a\\x00b': a NUL character is not allowed"
    ]
