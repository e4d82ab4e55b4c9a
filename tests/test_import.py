import csv
import io

import pytest
from django.core.management import CommandError, call_command

from aid.importing import import_ledger
from aid.models import Delivery, Pledge, Status, Valuation
from aid.rules import COLUMNS
from tests.builders import donor, row

TODAY_SAFE = "2025-08-04"


def csv_of(*rows: dict, columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(autouse=True)
def donors():
    donor("NL"), donor("NO")


GOOD = [
    row("pledge", ref="NL-1", amount="500000000"),
    row("valuation", ref="NL-1-USD", pledge_ref="NL-1", amount="578000000", currency="USD"),
    row("delivery", ref="NL-D1", pledge_ref="NL-1", amount="100", date="2025-09-01"),
]


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"currency": "EUX"}, "line 2, column currency: 'EUX': unknown currency"),
        ({"amount": "-5"}, "line 2, column amount: '-5': an amount cannot be negative"),
        ({"amount": "1,000"}, "line 2, column amount: '1,000': not a number"),
        ({"currency": ""}, "line 2, column currency: '': an amount needs its currency"),
        ({"amount": "1.234"}, "line 2, column amount: '1.234': EUR amounts have at most 2 decimals"),
        ({"date": "2025-02-30"}, "line 2, column date: '2025-02-30': not a date"),
        ({"date": "2999-01-01"}, "line 2, column date: '2999-01-01': is in the future"),
        ({"donor": "XX"}, "line 2, column donor: 'XX': not an ISO 3166-1 alpha-2 country code nor EU"),
        ({"donor": "UK"}, "line 2, column donor: 'UK': not an ISO 3166-1 alpha-2 country code nor EU (for this"),
        ({"source_url": ""}, "line 2, column source_url: '': a source is required"),
        ({"source_url": "ftp://x.org/a"}, "line 2, column source_url: 'ftp://x.org/a': not an http(s) URL"),
        ({"record": "gift"}, "line 2, column record: 'gift': must be pledge, delivery, valuation or source"),
        ({"amount_qualifier": "maybe"}, "line 2, column amount_qualifier: 'maybe': must be exact, at_least or approx"),
        ({"ref": ""}, "line 2, column ref: '': a ref is required"),
        ({"programme": "purl scheme"}, "line 2, column programme: 'purl scheme': use a short code"),
    ],
)
def test_each_bad_pledge_is_reported_with_its_line_and_nothing_is_written(bad, expected):
    report = import_ledger(csv_of({**row("pledge", ref="P-1"), **bad}, row("pledge", ref="P-2")))
    assert any(p.startswith(expected) for p in report.problems), report.problems
    assert not Pledge.objects.exists()


def test_a_delivery_whose_donor_differs_from_its_pledge_is_refused():
    report = import_ledger(csv_of(GOOD[0], row("delivery", ref="D", donor="NO", pledge_ref="NL-1")))
    assert report.problems == ["line 3, column donor: 'NO': differs from the donor of pledge NL-1 (NL)"]
    assert not Pledge.objects.exists() and not Delivery.objects.exists()


def test_a_delivery_naming_an_unknown_pledge_is_refused():
    report = import_ledger(csv_of(row("delivery", ref="D", pledge_ref="NOPE")))
    assert report.problems == ["line 2, column pledge_ref: 'NOPE': no pledge with this ref"]


def test_a_valuation_needs_its_pledge_and_an_amount():
    report = import_ledger(csv_of(row("valuation", ref="V", amount="", currency="")))
    assert "line 2, column pledge_ref: '': a valuation names the pledge it values" in report.problems
    assert "line 2, column amount: '': a valuation is a reported figure: it needs an amount" in report.problems


def test_a_ref_twice_in_one_file_is_refused():
    report = import_ledger(csv_of(row(ref="X"), row(ref="X")))
    assert report.problems == ["line 3, column ref: 'X': also on line 2: a ref appears once per file"]


def test_unknown_columns_are_an_error():
    report = import_ledger(csv_of(row(ref="X"), columns=(*COLUMNS, "notes")))
    assert report.problems == ["line 1, column notes: 'notes': unknown column"]


def test_a_file_that_is_not_utf8_is_refused():
    report = import_ledger(b"record,ref\n" + "pledge,é".encode("latin-1"))
    assert report.problems[0].startswith("line 1, column -:")


def test_every_problem_of_the_file_is_listed():
    report = import_ledger(csv_of(row(ref="A", currency="EUX"), row(ref="B", amount="-1")))
    assert [p.split(":")[0] for p in report.problems] == ["line 2, column currency", "line 3, column amount"]


def test_a_good_file_imports_pledge_valuation_and_delivery_published():
    report = import_ledger(csv_of(*GOOD))
    assert report.ok and report.refs("created") == ["NL-1", "NL-1-USD", "NL-D1"]
    pledge = Pledge.objects.get(ref="NL-1")
    assert pledge.status == Status.PUBLISHED
    assert Valuation.objects.get(ref="NL-1-USD").pledge == pledge
    assert Delivery.objects.get(ref="NL-D1").pledge == pledge


def test_a_delivery_may_come_before_its_pledge_in_the_file():
    report = import_ledger(csv_of(GOOD[2], GOOD[0]))
    assert report.ok, report.problems


def test_reimporting_the_same_file_changes_nothing():
    import_ledger(csv_of(*GOOD))
    before = list(Pledge.objects.values_list("ref", "version", "updated_at"))
    history_before = Pledge.history.count()
    report = import_ledger(csv_of(*GOOD))
    assert report.refs("unchanged") == ["NL-1", "NL-1-USD", "NL-D1"]
    assert list(Pledge.objects.values_list("ref", "version", "updated_at")) == before
    assert Pledge.history.count() == history_before


def test_reimporting_a_changed_row_updates_the_record():
    import_ledger(csv_of(*GOOD))
    report = import_ledger(csv_of({**GOOD[0], "amount": "600000000"}))
    assert report.refs("updated") == ["NL-1"]
    assert Pledge.objects.get(ref="NL-1").amount_minor == 60000000000


def test_a_dry_run_writes_nothing_and_says_what_would_happen():
    report = import_ledger(csv_of(*GOOD), dry_run=True)
    assert report.refs("created") == ["NL-1", "NL-1-USD", "NL-D1"] and not report.written
    assert not Pledge.objects.exists() and not Valuation.objects.exists()


def test_draft_imports_stay_out_of_the_published_ledger():
    import_ledger(csv_of(GOOD[0]), status=Status.DRAFT)
    assert Pledge.objects.get().status == Status.DRAFT


def test_the_command_exits_non_zero_and_lists_problems(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(csv_of(row(ref="A", currency="EUX")))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_ledger", str(path))
    assert "line 2, column currency: 'EUX'" in capsys.readouterr().err


def test_the_command_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_text(csv_of(*GOOD))
    call_command("import_ledger", str(path), "--dry-run")
    assert "3 would be created" in capsys.readouterr().out
    assert not Pledge.objects.exists()


def test_the_command_reports_the_time_of_each_phase_with_timings(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_text(csv_of(*GOOD))
    call_command("import_ledger", str(path), "--timings")
    phases = [line.split(": ")[1] for line in capsys.readouterr().err.splitlines() if line.startswith("timing: ")]
    assert phases[0] == "read CSV" and phases[-1] == "import, in all"
    assert {"check rows", "pledge records", "delivery records", "daily totals", "monthly rollup"} <= set(phases)
    assert Pledge.objects.filter(ref="NL-1").exists()


def test_a_ref_holding_a_line_break_is_refused_without_matching_the_refs_on_either_side():
    import_ledger(csv_of(row("pledge", ref="A"), row("pledge", ref="B", date="2025-08-02")))
    report = import_ledger(
        csv_of(
            row("delivery", ref="A\nB", pledge_ref="A", date="2025-09-01"),
            row("delivery", ref="D-1", pledge_ref="A\nB", date="2025-09-01"),
        )
    )
    assert report.problems == [
        "line 3, column ref: 'A\\nB': letters, digits, '.', '_' and '-' only, at most 100",
        "line 5, column pledge_ref: 'A\\nB': no pledge with this ref",
    ]


def test_blank_lines_are_skipped_and_problems_name_the_line_they_are_on():
    lines = csv_of(row(ref="A"), row(ref="B", currency="EUX")).splitlines()
    report = import_ledger("\n".join([lines[0], "", lines[1], ",,,", lines[2]]) + "\n")
    assert report.problems == [
        "line 5, column currency: 'EUX': unknown currency: use an ISO 4217 code such as EUR or USD"
    ]


def test_a_row_shorter_or_longer_than_the_header_is_reported():
    header = "record,ref,donor,programme,date,source_url,source_title"
    short = "pledge,S,NL,PURL,2025-08-04,https://example.org/s"  # no title: read as empty
    report = import_ledger(f"{header}\n{short}\npledge,L,NL,PURL,2025-08-04,https://example.org/l,t,extra\n")
    assert report.problems == ["line 3, column -: ['extra']: more values than columns in the header"]
    assert import_ledger(f"{header}\n{short}\n").ok
