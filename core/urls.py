from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("home/", views.home, name="home"),
]
