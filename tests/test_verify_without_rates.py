"""A newcomer's first `rebuild_totals --verify`: a ledger imported before any ECB rate is loaded."""

from django.core.management import call_command

from aid import summary
from aid.importing import import_ledger
from ledger.models import ExchangeRate

HEADER = (
    "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,"
    "source_url,source_title,confidence,source_kind\n"
)


def test_verify_agrees_when_no_rate_is_held_yet(db):
    assert not ExchangeRate.objects.exists()
    report = import_ledger(
        HEADER
        + "pledge,NL-1,NL,PURL,,,2025-03-03,100,EUR,,,https://example.org/a,,,\n"
        + "pledge,AU-1,AU,BILATERAL,,,2025-04-03,70,AUD,approx,,https://example.org/b,,,\n"
        + "delivery,NL-D1,NL,PURL,,NL-1,2025-05-03,20,EUR,,,https://example.org/a,,,\n"
        + "pledge,PL-1,PL,PURL,,,2025-06-03,5,PLN,,,https://example.org/c,,,\n"
    )
    assert report.ok, report.problems
    # Both paths miss rates: they must name the same one, or verify reports a difference that is not.
    assert summary.path_differences() == []
    call_command("rebuild_totals", "--verify")
