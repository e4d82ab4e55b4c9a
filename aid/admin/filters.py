"""List filters of the pledge and delivery pages; each is one condition in the list's own query."""

from django.contrib import admin
from django.db.models import Exists, F, OuterRef

from aid.admin.warnings import twins


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class YesFilter(admin.SimpleListFilter):
    """A filter that is either on ("yes") or off."""

    def lookups(self, request, model_admin):
        return [("yes", "yes")]

    def condition(self, queryset):
        raise NotImplementedError

    def queryset(self, request, queryset):
        return self.condition(queryset) if self.value() == "yes" else queryset


class NoSourceFilter(YesFilter):
    title = "has no source"
    parameter_name = "no_source"

    def condition(self, queryset):
        links = queryset.model.sources.through.objects.filter(**{f"{queryset.model._meta.model_name}": OuterRef("pk")})
        return queryset.filter(~Exists(links))


class OverDeliveredFilter(YesFilter):
    """Pledges whose published deliveries exceed them; for deliveries, those of such pledges."""

    title = "over-delivered"
    parameter_name = "over_delivered"

    def condition(self, queryset):
        prefix = "pledge__" if queryset.model._meta.model_name == "delivery" else ""
        return queryset.filter(
            **{f"{prefix}amount_minor__isnull": False, f"{prefix}delivered_minor__gt": F(f"{prefix}amount_minor")}
        )


class DuplicateFilter(YesFilter):
    title = "possible duplicate"
    parameter_name = "duplicate"

    def condition(self, queryset):
        return queryset.filter(Exists(twins(queryset.model)))
