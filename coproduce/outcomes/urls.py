from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<slug:slug>/", views.dashboard, name="dashboard"),
    path("organisations/<slug:slug>/open-data.json", views.open_data_json, name="open_data_json"),
    path("organisations/<slug:slug>/open-data/<slug:table>.csv", views.open_data_csv, name="open_data_csv"),
    path("organisations/<slug:slug>/frameworks/new/", views.framework_new, name="framework_new"),
    path("organisations/<slug:slug>/initiatives/", views.initiatives, name="initiatives"),
    path("organisations/<slug:slug>/initiatives/new/", views.initiative_new, name="initiative_new"),
    path("organisations/<slug:slug>/self-assessment/", views.self_assessments, name="self_assessments"),
    path("organisations/<slug:slug>/self-assessment/new/", views.self_assessment_new, name="self_assessment_new"),
    path("organisations/<slug:slug>/social-value/", views.social_value_list, name="social_value_list"),
    path("organisations/<slug:slug>/badges/", views.badge_classes, name="badge_classes"),
    path("frameworks/<slug:slug>/", views.framework, name="framework"),
    path("frameworks/<slug:slug>/publish/", views.framework_publish, name="framework_publish"),
    path("frameworks/<slug:slug>/goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:pk>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("outcomes/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/readings/new/", views.reading_new, name="reading_new"),
    path("indicators/<int:pk>/targets/new/", views.target_new, name="target_new"),
    path("indicators/<int:pk>/import/", views.indicator_import, name="indicator_import"),
    path("initiatives/<slug:slug>/", views.initiative, name="initiative"),
    path("initiatives/<slug:slug>/activities/new/", views.activity_new, name="activity_new"),
    path("initiatives/<slug:slug>/steps/<slug:step>/", views.step_edit, name="step_edit"),
    path("activities/<int:pk>/remove/", views.activity_remove, name="activity_remove"),
    path("social-value/<int:pk>/", views.social_value, name="social_value"),
    path("social-value/<int:pk>/print/", views.social_value_print, name="social_value_print"),
    path("social-value/<int:pk>/report.pdf", views.social_value_pdf, name="social_value_pdf"),
    path("social-value/<int:pk>/<slug:kind>/<int:line>/remove/", views.social_value_line_remove,
         name="social_value_line_remove"),
    path("badges/<slug:slug>/", views.badge, name="badge"),
    path("awards/<uuid:award_uuid>/", views.award, name="award"),
    path("awards/<uuid:award_uuid>/revoke/", views.award_revoke, name="award_revoke"),
    path("awards/<uuid:award_uuid>/credential.json", views.award_credential, name="award_credential"),
    path("people/<int:pk>/badges/", views.person_badges, name="person_badges"),
    path("me/badges/", views.my_badges, name="my_badges"),
]
