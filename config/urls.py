from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    # Resolved per request: in production the static manifest exists only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


# Under /api/ the API's JSON error shape; a lost database is a 503, not a 500 (aid.guard).
handler500 = "aid.guard.server_error"

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("aid.api.urls")),
]

# The public charts: English at /, Dutch under /nl/, so a shared link keeps its language.
urlpatterns += i18n_patterns(path("", include("aid.charts.urls")), prefix_default_language=False)
