"""The admin for researchers (issue 3): registering the modules registers the pages."""

from aid.admin import records, reference  # noqa: F401
from aid.context import admin as context_admin  # noqa: F401
from aid.releases import admin as releases_admin  # noqa: F401
