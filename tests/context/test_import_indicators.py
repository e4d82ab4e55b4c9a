"""`import_indicators`: donors' GDP and population, all rows or none, errors like the ledger import's."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from aid.context.importing import import_indicators
from aid.models import Indicator
from tests.builders import donor

HEADER = "donor,indicator,year,value,unit,source_url,source_title\n"
WB = "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD"
GOOD = f"NL,gdp,2023,1118124749886,USD,{WB},World Bank\nNL,population,2024,17993485,persons,{WB},World Bank\n"


@pytest.fixture(autouse=True)
def donors():
    donor("NL", "Netherlands"), donor("DE", "Germany")


def test_it_imports_gdp_and_population_with_their_year_unit_and_source():
    report = import_indicators(HEADER + GOOD)
    assert report.ok, report.problems
    gdp = Indicator.objects.get(donor__code="NL", name="gdp")
    assert (gdp.year, gdp.value, gdp.unit, gdp.source_url) == (2023, Decimal("1118124749886.00"), "USD", WB)
    assert Indicator.objects.get(donor__code="NL", name="population").value == Decimal("17993485")


def test_reimporting_the_same_file_changes_nothing():
    import_indicators(HEADER + GOOD)
    assert import_indicators(HEADER + GOOD).actions == {"unchanged": 2}


@pytest.mark.parametrize(
    "line, expected",
    [
        (f"XX,gdp,2023,1,USD,{WB},", "line 2, column donor: 'XX': unknown donor code"),
        (f"NL,gnp,2023,1,USD,{WB},", "line 2, column indicator: 'gnp': must be gdp or population"),
        (f"NL,gdp,23,1,USD,{WB},", "line 2, column year: '23': a year from 1950"),
        (f"NL,gdp,2023,1 000,USD,{WB},", "line 2, column value: '1 000': not a number"),
        (f"NL,gdp,2023,-4,USD,{WB},", "line 2, column value: '-4': must be greater than zero"),
        (f"NL,gdp,2023,1.005,USD,{WB},", "line 2, column value: '1.005': at most 2 decimals"),
        (f"NL,gdp,2023,1234567890123456,USD,{WB},", "line 2, column value: '1234567890123456': at most 15"),
        (f"NL,gdp,2023,1,persons,{WB},", "line 2, column unit: 'persons': a GDP's unit is its ISO 4217 currency"),
        (f"NL,population,2024,1,USD,{WB},", "line 2, column unit: 'USD': a population is counted in persons"),
        ("NL,gdp,2023,1,USD,worldbank.org,", "line 2, column source_url: 'worldbank.org': not an http(s) URL"),
    ],
)
def test_a_bad_cell_is_named_by_line_column_and_value(line, expected):
    report = import_indicators(HEADER + line + "\n")
    assert not report.ok
    assert report.problems[0].startswith(expected), report.problems


def test_an_unknown_column_is_an_error():
    report = import_indicators(HEADER.replace("source_title", "notes") + f"NL,gdp,2023,1,USD,{WB},x\n")
    assert report.problems == ["line 1, column notes: 'notes': unknown column"]


def test_the_same_donor_indicator_and_year_twice_is_an_error():
    report = import_indicators(HEADER + GOOD + f"NL,gdp,2023,2,USD,{WB},\n")
    assert report.problems == ["line 4, column year: '2023': NL gdp also on line 2"]


def test_one_bad_row_writes_nothing_and_the_command_fails(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + GOOD + f"DE,gdp,2023,abc,USD,{WB},\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_indicators", str(path))
    assert not Indicator.objects.exists()


def test_the_command_reports_what_it_wrote(tmp_path, capsys):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + GOOD)
    call_command("import_indicators", str(path))
    assert "2 indicators: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
