"""The WSGI application: Django, with the fast lane for the vote and ballot endpoints in front
(`coproduce/fastlane.py`). The URLconf (every view and the API) is loaded here, not by the first
request, so that `coproduce serve` can load it once before starting its workers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
django_application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402  (needs Django set up)

from coproduce.fastlane import FastLane  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (imports the views and the API)
application = FastLane(django_application)
