import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Read the API's documented parameters now, at start-up, not during a reader's first request.
from aid.api.known_params import documented  # noqa: E402

documented()
