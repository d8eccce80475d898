from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("import/", views.import_services, name="import"),
    path("export.zip", views.export_services, {"fmt": "zip"}, name="export_zip"),
    path("export.json", views.export_services, {"fmt": "json"}, name="export_json"),
    path("metrics/", views.metrics, name="metrics"),
    path("moderation/", views.moderation, name="moderation"),
    path("new/<slug:org_slug>/", views.service_create, name="service_create"),
    path("complaints/mine/", views.my_complaints, name="my_complaints"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("complaints/<int:pk>/status/", views.complaint_status, name="complaint_status"),
    path("complaints/<int:pk>/note/", views.complaint_note, name="complaint_note"),
    path("complaints/<int:pk>/help/", views.complaint_help, name="complaint_help"),
    path("help-offers/<int:pk>/follow-up/", views.help_follow_up, name="help_follow_up"),
    path("ratings/<int:pk>/reply/", views.rating_reply, name="rating_reply"),
    path("ratings/<int:pk>/report/", views.rating_report, name="rating_report"),
    path("ratings/<int:pk>/moderate/", views.rating_moderate, name="rating_moderate"),
    path("<slug:slug>/", views.service, name="service"),
    path("<slug:slug>/edit/", views.service_edit, name="service_edit"),
    path("<slug:slug>/report/", views.complain, name="complain"),
    path("<slug:slug>/report/on-behalf/", views.complain_on_behalf, name="complain_on_behalf"),
    path("<slug:slug>/complaints/", views.complaint_queue, name="complaint_queue"),
    path("<slug:slug>/ratings/", views.ratings, name="ratings"),
    path("<slug:slug>/rate/", views.rate, name="rate"),
]
