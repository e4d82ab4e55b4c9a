"""?format=csv: the pledge and delivery CSV is the ledger CSV, streamed, and re-imports unchanged."""

from aid.importing import import_ledger
from aid.models import Delivery, Pledge
from aid.seed import FIXTURES, load_reference_tables


def csv_text(api, url: str) -> str:
    response = api.get(url)
    assert response.status_code == 200, response.content
    assert response.streaming  # a line at a time: memory stays flat at any size
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode()


def test_pledges_as_ledger_csv(api, ledger):
    assert csv_text(api, "/api/v1/pledges/?format=csv&donor=NL&ordering=date").splitlines() == [
        "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,source_url,source_title,confidence,source_kind",
        "pledge,NL-P1,NL,PURL,PURL-1,,2025-08-04,500000000,EUR,exact,,https://example.org/source,,,",
        "pledge,NL-P2,NL,BILATERAL,,,2025-09-01,,,exact,,https://example.org/source,,,",
        "valuation,NL-P1-USD,NL,PURL,PURL-1,NL-P1,2025-08-04,578000000,USD,exact,,https://example.org/source,,,",
    ]


def test_a_pledge_list_csv_converts_with_currency(api, ledger):
    lines = csv_text(api, "/api/v1/pledges/?format=csv&donor=NL&ordering=date&currency=USD").splitlines()
    assert lines[0].endswith(
        ",source_title,confidence,source_kind,converted_amount,converted_currency,rate,rate_date,rate_stale"
    )
    assert lines[1].endswith(",https://example.org/source,,,,580000000.00,USD,1.1600000000,2025-08-04,false")
    assert lines[2].endswith(",https://example.org/source,,,,,,,,")  # undisclosed: unknown, not zero
    assert lines[3].endswith(",https://example.org/source,,,,578000000.00,USD,1.0000000000,2025-08-04,false")


def test_a_csv_conversion_without_a_rate_is_a_400_before_streaming(api, ledger):
    response = api.get("/api/v1/deliveries/?format=csv&currency=GBP")
    assert response.status_code == 400 and response.json()["param"] == "currency"


def test_the_api_csv_of_the_seed_ledger_reimports_unchanged(api):
    load_reference_tables()
    assert import_ledger((FIXTURES / "ledger.csv").read_bytes()).ok
    state = [list(m.objects.order_by("ref").values_list("ref", "version")) for m in (Pledge, Delivery)]
    for url in ("/api/v1/pledges/?format=csv", "/api/v1/deliveries/?format=csv"):
        report = import_ledger(csv_text(api, url))
        assert report.ok, report.problems
        assert report.refs("created") == [] and report.refs("updated") == []
        assert len(report.refs("unchanged")) > 0
    assert [list(m.objects.order_by("ref").values_list("ref", "version")) for m in (Pledge, Delivery)] == state


def test_a_single_record_as_csv(api, ledger):
    lines = csv_text(api, "/api/v1/deliveries/DE-D1/?format=csv").splitlines()
    assert (
        lines[1] == "delivery,DE-D1,DE,PURL,PURL-3,DE-P1,2025-09-01,115000000,USD,exact,,https://example.org/source,,,"
    )


def test_donors_and_programmes_as_csv(api, ledger):
    lines = csv_text(api, "/api/v1/donors/?format=csv").splitlines()
    assert lines[0] == "code,name_en,name_nl,eu_member,nato_member,nato_joined"
    assert "DE,Germany,Duitsland,True,True,1955" in lines and "UA,Ukraine,Oekraïne,False,False," in lines
    assert csv_text(api, "/api/v1/programmes/?format=csv").splitlines()[2] == "PURL,PURL,,,,,PURL-1;PURL-3"


def test_errors_stay_json_when_csv_was_asked(api, ledger):
    response = api.get("/api/v1/summary/?format=csv&currency=XYZ")
    assert response.status_code == 400 and response.json()["param"] == "currency"
