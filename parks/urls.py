from django.urls import path

app_name = "parks"

urlpatterns: list = []
