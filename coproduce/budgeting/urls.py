from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.process_list, name="processes"),
    path("new/", views.process_new, name="process_new"),
    path("import-pabulib/", views.pabulib_import, name="pabulib_import"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/edit/", views.process_edit, name="process_edit"),
    path("<slug:slug>/phase/", views.process_phase, name="process_phase"),
    path("<slug:slug>/budgets/new/", views.budget_add, name="budget_add"),
    path("<slug:slug>/budgets/<int:budget_id>/edit/", views.budget_edit, name="budget_edit"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/options/new/", views.option_add, name="option_add"),
    path("<slug:slug>/proposals/import/", views.proposals_import, name="proposals_import"),
    path("<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("<slug:slug>/proposals/<int:pk>/merge/", views.proposal_merge, name="proposal_merge"),
    path("<slug:slug>/proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("<slug:slug>/proposals/<int:pk>/comment/", views.proposal_comment, name="proposal_comment"),
    path("<slug:slug>/proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("<slug:slug>/proposals/<int:pk>/pledge/", views.proposal_pledge, name="proposal_pledge"),
    path("<slug:slug>/proposals/<int:pk>/progress/", views.proposal_progress, name="proposal_progress"),
    path("<slug:slug>/proposals/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<slug:slug>/milestones/<int:pk>/photos/", views.milestone_photo_add, name="milestone_photo_add"),
    path("<slug:slug>/photos/<int:pk>/", views.milestone_photo, name="milestone_photo"),
    path("<slug:slug>/comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("<slug:slug>/codes/", views.voting_codes, name="codes"),
    path("<slug:slug>/census/", views.census, name="census"),
    path("<slug:slug>/pledges/settle/", views.pledges_settle, name="pledges_settle"),
    path("<slug:slug>/budgets/<int:budget_id>/vote/", views.vote, name="vote"),
    path("<slug:slug>/budgets/<int:budget_id>/paper/", views.paper_ballots, name="paper_ballots"),
    path("<slug:slug>/budgets/<int:budget_id>/count/", views.count, name="count"),
    path("<slug:slug>/budgets/<int:budget_id>/results/", views.results, name="results"),
    path("<slug:slug>/budgets/<int:budget_id>/results/count.json", views.results_log, name="results_log"),
    path("<slug:slug>/budgets/<int:budget_id>/results/ballots.pb", views.results_pabulib, name="results_pabulib"),
]
