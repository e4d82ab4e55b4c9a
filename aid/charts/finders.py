"""Serving the plotly.js that the `plotly` Python package ships, as `charts/plotly.min.js`.

The file is 4.8 MB: it stays out of git and is found in the installed package, by
`collectstatic` (which copies and compresses it for whitenoise) as by the development server.
No CDN is involved at any point.
"""

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

STATIC_NAME = "charts/plotly.min.js"


def plotly_directory() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=plotly_directory())
        self.storage.prefix = "charts"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_NAME:
            return [] if find_all else None
        match = str(plotly_directory() / "plotly.min.js")
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
