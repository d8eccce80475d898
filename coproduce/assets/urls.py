from django.urls import path

from . import edit_views, views

app_name = "assets"

urlpatterns = [
    path("", views.asset_list, name="list"),
    path("map/", views.asset_map, name="map"),
    path("places/new/", views.asset_new, name="asset_new"),
    path("places/<int:pk>/", views.asset_detail, name="asset"),
    path("places/<int:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("places/<int:pk>/review/", views.review, name="review"),
    path("suggest/", views.asset_suggest, name="suggest"),
    path("suggestions/", views.review_list, name="review_list"),
    path("people/", views.people, name="people"),
    path("can-do/", views.can_do, name="can_do"),
    path("can-do/<int:person_pk>/", views.can_do, name="can_do_for"),
    path("capabilities/<int:pk>/", views.capability_detail, name="capability"),
    path("capabilities/<int:pk>/edit/", edit_views.capability_edit, name="capability_edit"),
    path("capabilities/<int:pk>/change/", views.capability_change, name="capability_change"),
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
]
