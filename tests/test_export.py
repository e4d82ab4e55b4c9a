from aid.export import ledger_querysets, stream_csv
from aid.importing import import_ledger
from aid.models import Pledge
from aid.seed import FIXTURES, load_reference_tables


def test_the_seed_ledger_exports_and_reimports_unchanged():
    load_reference_tables()
    first = import_ledger((FIXTURES / "ledger.csv").read_bytes())
    assert first.ok, first.problems
    exported = "".join(stream_csv(ledger_querysets()))
    before = list(Pledge.objects.order_by("ref").values_list("ref", "version", "amount_minor", "currency"))
    again = import_ledger(exported)
    assert again.ok, again.problems
    assert again.refs("created") == [] and again.refs("updated") == []
    assert len(again.refs("unchanged")) == len(first.rows)
    assert list(Pledge.objects.order_by("ref").values_list("ref", "version", "amount_minor", "currency")) == before
