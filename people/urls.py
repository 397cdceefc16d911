from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
]
