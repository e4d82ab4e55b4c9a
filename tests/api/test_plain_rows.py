"""aid.api.serializers.plain: the rows a serializer gives are DRF's own, field for field."""

from types import SimpleNamespace

import pytest
from rest_framework import serializers

from aid.api.serializers.plain import PlainRows
from aid.api.serializers.summary import GroupSerializer
from aid.summary import GROUP_BY, summarize


def drf_row(serializer, instance) -> dict:
    """The row by DRF's own walk, field by field (what PlainRows replaces)."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.mark.parametrize("group_by", GROUP_BY)
@pytest.mark.parametrize("currency", ["EUR", "USD"])
def test_a_summary_s_groups_are_drf_s(ledger, group_by, currency):
    summary = summarize(group_by=group_by, currency=currency)
    groups = [*summary.groups, summary.total]
    assert len(groups) >= 2
    serializer = GroupSerializer()
    for group in groups:
        assert serializer.to_representation(group) == drf_row(serializer, group)
    rows = GroupSerializer(summary.groups, many=True).data
    assert rows == [drf_row(serializer, group) for group in summary.groups]


class Sample(PlainRows, serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()
    optional = serializers.CharField(required=False)  # missing: left out of the row
    nullable = serializers.CharField(allow_null=True)  # missing: null
    called = serializers.CharField()  # a method: DRF calls it
    nested = serializers.CharField(source="inner.text")  # a path: DRF walks it
    method = serializers.SerializerMethodField()
    whole = serializers.ReadOnlyField(source="*")  # the instance itself

    def get_method(self, instance) -> str:
        return f"m-{instance['name'] if isinstance(instance, dict) else instance.name}"


SAMPLES = {
    "an object": SimpleNamespace(
        name="a", count="3", optional="here", nullable=None, called=lambda: "c", inner=SimpleNamespace(text="t")
    ),
    "an object lacking the optional fields": SimpleNamespace(
        name="b", count=4, called=lambda: "d", inner=SimpleNamespace(text="u")
    ),
    "a mapping": {"name": "c", "count": 5, "nullable": "n", "called": "e", "inner": {"text": "v"}},
}


@pytest.mark.parametrize("sample", list(SAMPLES), ids=list(SAMPLES))
def test_every_kind_of_field_reads_as_drf_reads_it(sample):
    instance = SAMPLES[sample]
    serializer = Sample(instance)
    expected = drf_row(Sample(), instance)
    assert serializer.data == expected
    assert ("optional" in expected) == (sample == "an object")
