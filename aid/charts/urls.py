"""Public chart pages (SPEC §7), mounted inside i18n_patterns: English at /, Dutch at /nl/."""

from django.urls import path, re_path

from aid.charts.views.donor import donor
from aid.charts.views.embed import download, embed
from aid.charts.views.overview import overview
from aid.charts.views.programme import programme
from aid.charts.views.releases import release, releases

app_name = "charts"
urlpatterns = [
    path("", overview, name="overview"),
    path("programme/<str:code>/", programme, name="programme"),
    path("donor/<str:code>/", donor, name="donor"),
    path("embed/<slug:chart>/", embed, name="embed"),
    path("embed/<slug:chart>/<str:subject>/", embed, name="embed"),
    path("data/<slug:chart>.csv", download, name="csv"),
    path("data/<slug:chart>/<str:subject>.csv", download, name="csv"),
    path("releases/", releases, name="releases"),
    re_path(r"^releases/(?P<release_id>\d{4}-\d{2}-\d{2}\.\d+)/$", release, name="release"),
]
