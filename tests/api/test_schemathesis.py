"""Schemathesis against the live schema: no request it generates gets a 5xx or breaks the schema.

The schema is read from pytest-django's live server, and each operation's cases are drawn
from its Hypothesis strategy here (schemathesis 4.32's lazy `from_fixture` loader reaches
for a pytest node attribute that pytest 9 no longer has).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 40


def check_operation(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_within_schema(case):
        case.call_and_validate(checks=CHECKS, timeout=60)  # as .ci/fuzz_api: a loaded CI machine, not a slow API

    answers_within_schema()


def test_the_api_answers_every_generated_request_within_its_schema(live_server, ledger, settings):
    settings.API_ANON_THROTTLE = "100000/minute"  # the fuzzer is not a newsroom
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13  # crosscheck/ since issue 12; datapackage.zip and releases (3) since issue 11
    for operation in operations:
        check_operation(operation)
