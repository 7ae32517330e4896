from django.urls import path

from core.views import attachments, home, notifications

app_name = "core"

urlpatterns = [
    path("", home.public_home, name="public-home"),
    path("home/", home.home, name="home"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/bell/", notifications.notification_bell, name="notification-bell"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("attachments/<slug:token>/", attachments.attachment_download, name="attachment-download"),
]
