"""The WSGI application: Django, with the fast lane for the vote and ballot endpoints in front
(`coproduce/fastlane.py`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
django_application = get_wsgi_application()

from coproduce.fastlane import FastLane  # noqa: E402  (needs Django set up)

application = FastLane(django_application)
