from django.urls import path

from . import views

app_name = "timebank"

urlpatterns = [
    path("", views.banks, name="banks"),
    path("<slug:slug>/", views.bank, name="bank"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/exchange/", views.exchange, name="exchange"),
    path("<slug:slug>/members/<int:pk>/", views.statement, name="statement"),
    path("<slug:slug>/members/<int:pk>/print/", views.statement_print, name="statement_print"),
]
