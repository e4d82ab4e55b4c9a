from django.contrib import admin

from ledger.models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["day", "currency", "rate", "source"]
    list_filter = ["currency", "source"]
    date_hierarchy = "day"
    search_fields = ["currency"]
    show_full_result_count = False
