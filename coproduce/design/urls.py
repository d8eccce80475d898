from django.urls import path

from . import paper_views, views

app_name = "design"

urlpatterns = [
    path("", views.labs, name="labs"),
    path("new/", views.lab_new, name="lab_new"),
    path("<slug:slug>/", views.lab, name="lab"),
    path("<slug:slug>/edit/", views.lab_edit, name="lab_edit"),
    path("<slug:slug>/stage/", views.lab_stage, name="lab_stage"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/trail/", views.trail, name="trail"),
    path("<slug:slug>/import/", views.import_polis, name="import"),
    path("<slug:slug>/import/<int:pk>/", views.upload_status, name="upload"),
    path("<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("<slug:slug>/feedback/give/", views.give_feedback, name="give_feedback"),
    path("<slug:slug>/themes/", views.themes, name="themes"),
    path("<slug:slug>/themes/<int:pk>/", views.theme, name="theme"),
    path("<slug:slug>/insights/", views.insights, name="insights"),
    path("<slug:slug>/insights/<int:pk>/", views.insight, name="insight"),
    path("<slug:slug>/decisions/new/", views.decision_new, name="decision_new"),
    path("<slug:slug>/decisions/<int:pk>/", views.decision, name="decision"),
    path("<slug:slug>/decisions/<int:pk>/publish/", views.decision_publish, name="decision_publish"),
    path("<slug:slug>/decisions/<int:pk>/follow-up/", views.follow_ups, name="follow_ups"),
    path("<slug:slug>/decisions/<int:pk>/follow-up/<int:follow_up>/", views.follow_ups, name="follow_up_told"),
    path("<slug:slug>/conversations/new/", views.conversation_new, name="conversation_new"),
    path("<slug:slug>/conversations/<int:pk>/", views.conversation, name="conversation"),
    path("<slug:slug>/conversations/<int:pk>/vote/", views.vote, name="vote"),
    path("<slug:slug>/conversations/<int:pk>/statements/", views.submit_statement, name="submit_statement"),
    path("<slug:slug>/conversations/<int:pk>/questions/<int:question>/", views.answer, name="answer"),
    path("<slug:slug>/conversations/<int:pk>/map/", views.opinion_map_view, name="map"),
    path("<slug:slug>/conversations/<int:pk>/settings/", views.conversation_settings, name="conversation_settings"),
    path("<slug:slug>/conversations/<int:pk>/seed/", views.seed, name="seed"),
    path("<slug:slug>/conversations/<int:pk>/question/", views.question_add, name="question_add"),
    path("<slug:slug>/conversations/<int:pk>/analyse/", views.analyse_now, name="analyse"),
    path("<slug:slug>/conversations/<int:pk>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/conversations/<int:pk>/moderation/<int:number>/", views.moderate, name="moderate"),
    path("<slug:slug>/conversations/<int:pk>/paper/", views.paper_votes, name="paper_votes"),
    path("<slug:slug>/conversations/<int:pk>/paper/answers/", paper_views.paper_answers, name="paper_answers"),
    path("<slug:slug>/conversations/<int:pk>/export.zip", views.export, name="export"),
]
