from django.urls import path

from . import broker_views as broker
from . import codelivery_views as co
from . import settings_views as settings
from . import views

app_name = "timebank"

urlpatterns = [
    path("", views.banks, name="banks"),
    path("networks/new/", settings.new_network, name="new_network"),
    path("networks/<slug:slug>/report/", views.network_report, name="network_report"),
    path("<slug:slug>/", views.bank, name="bank"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/import/", views.import_members, name="import"),
    path("<slug:slug>/export/<str:what>.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/exchange/", views.exchange, name="exchange"),
    path("<slug:slug>/members/<int:pk>/", views.statement, name="statement"),
    path("<slug:slug>/members/<int:pk>/print/", views.statement_print, name="statement_print"),
    # settings: the bank's administrators; members accept the newest agreement (brokers: ?member=)
    path("<slug:slug>/settings/", settings.bank_settings, name="settings"),
    path("<slug:slug>/agreement/", settings.agreement, name="agreement"),
    path("<slug:slug>/agreement/accept/", settings.accept_agreement, name="accept_agreement"),
    path("<slug:slug>/categories/", settings.categories, name="categories"),
    path("<slug:slug>/categories/<int:pk>/hide/", settings.switch_category, {"on": False}, name="hide_category"),
    path("<slug:slug>/categories/<int:pk>/show/", settings.switch_category, {"on": True}, name="show_category"),
    # brokers: a member's status, limits and opening balance; corrections; donations (?member=<id>)
    path("<slug:slug>/members/<int:pk>/manage/", broker.manage_member, name="manage_member"),
    path("<slug:slug>/transfers/<int:pk>/correct/", broker.correct_transfer, name="correct_transfer"),
    path("<slug:slug>/donate/", broker.donate, name="donate"),
    # co-delivery: members (brokers add ?member=<id> to act for someone) and brokers
    path("<slug:slug>/join/", co.join, name="join"),
    path("<slug:slug>/mine/", co.my_postings, name="my_postings"),
    path("<slug:slug>/board/", co.board, name="board"),
    path("<slug:slug>/mine/new/<str:kind>/", co.new_posting, name="new_posting"),
    path("<slug:slug>/postings/<str:kind>/<int:pk>/status/", co.posting_status, name="posting_status"),
    path("<slug:slug>/mine/exchanges/", co.my_exchanges, name="my_exchanges"),
    path("<slug:slug>/mine/availability/", co.availability, name="availability"),
    path("<slug:slug>/exchanges/<int:pk>/", co.exchange_detail, name="exchange_detail"),
    path("<slug:slug>/requests/", co.requests_queue, name="requests_queue"),
    path("<slug:slug>/requests/<int:pk>/", co.broker_request, name="broker_request"),
    path("<slug:slug>/requests/<int:pk>/suggestions/", co.request_suggestions, name="request_suggestions"),
    path("<slug:slug>/offers/<int:pk>/needs/", co.offer_needs, name="offer_needs"),
    path("<slug:slug>/members/<int:pk>/trust/", co.trust_record, name="trust_record"),
]
