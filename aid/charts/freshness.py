"""How fresh the rates are, for every chart page (SPEC §7): "ECB rates up to 30 Oct 2026",
and a warning when `rates=latest` converts with rates over a week old.

A template context processor, lazy so that pages which never show it (the admin) pay no query.
"""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext

from aid import params
from ledger.rates import ecb_rates_up_to, stale_today


def _held_at(request) -> datetime | None:
    """The moment a page shows the ledger as of (its rates as held then); a bad one is the page's 400."""
    try:
        moment = params.as_of(request.GET)
    except params.ParamError:
        return None
    return moment.at if moment else None


def _freshness(request) -> dict:
    held_at = _held_at(request)
    up_to = ecb_rates_up_to(held_at)
    today = held_at.date() if held_at else date.today()
    latest = request.GET.get("rates", "").strip() == "latest"
    return {
        "up_to": up_to,
        # "30 Oct 2026" / "30 oktober 2026": the day's format is translated with the words.
        "up_to_text": date_format(up_to, pgettext("rates held", "j M Y")) if up_to else "",
        "stale_latest": latest and stale_today(up_to, today),
        "age_days": (today - up_to).days if up_to else None,
    }


def rates_freshness(request) -> dict:
    return {"ecb_rates": SimpleLazyObject(lambda: _freshness(request))}
