from django.urls import path

from parks import views

app_name = "parks"

# Fixed paths come before the park profile, whose code could otherwise shadow them.
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("registrations/", views.enterprise_pending, name="enterprise-pending"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/verify/", views.enterprise_verify_view, name="enterprise-verify"),
    path("enterprises/<int:pk>/reject/", views.enterprise_reject_view, name="enterprise-reject"),
    path("<slug:code>/", views.park_profile, name="park-profile"),
]
