from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from coproduce.api import api
from coproduce.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("labs/", include("coproduce.design.urls")),
    path("budgeting/", include("coproduce.budgeting.urls")),
    path("services/", include("coproduce.assessment.urls")),
    path("open311/v2/", include("coproduce.assessment.open311.urls")),
    path("outcomes/", include("coproduce.outcomes.urls")),
    path("timebanks/", include("coproduce.timebank.urls")),
    path("asset-map/", include("coproduce.assets.urls")),
    path("", include("coproduce.core.urls")),
]

handler403 = "coproduce.core.errors.forbidden"
handler404 = "coproduce.core.errors.not_found"

