from django.contrib import admin

from aid.models import Delivery, Donor, Package, Pledge, Programme, ReferenceFigure, Source, Valuation


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_nl", "eu_member", "nato_member"]
    search_fields = ["code", "name_en", "name_nl"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "start_date"]
    search_fields = ["code", "name_en"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["code", "programme", "name", "date", "amount", "currency"]
    list_select_related = ["programme"]
    search_fields = ["code", "name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "publisher"]
    search_fields = ["url", "title"]


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "amount", "currency", "period", "date"]


class ValuationInline(admin.TabularInline):
    model = Valuation
    fields = ["ref", "date", "amount_minor", "currency", "amount_qualifier", "description"]
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = [
        "ref",
        "donor",
        "programme",
        "package",
        "date",
        "amount",
        "currency",
        "amount_qualifier",
        "delivered",
        "status",
    ]
    list_select_related = ["donor", "programme", "package"]
    list_filter = ["status", "programme", "donor"]
    search_fields = ["ref", "description"]
    date_hierarchy = "date"
    inlines = [ValuationInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["ref", "donor", "programme", "pledge", "date", "amount", "currency", "status"]
    list_select_related = ["donor", "programme", "pledge"]
    list_filter = ["status", "programme", "donor"]
    search_fields = ["ref", "description"]
    date_hierarchy = "date"
