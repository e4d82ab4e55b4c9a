from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path


def favicon(request):
    # Resolved per request: in production the static manifest exists only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]
