from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """吐槽区: enterprises' complaints and demands (DESIGN §6)."""

    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from core.attachments import register_attachment_access

        register_attachment_access("complaints.ticket", _can_view_ticket_files)

        from complaints.ui import register_ui

        register_ui()


def _can_view_ticket_files(user, target_id):
    """Files of a ticket: whoever may see the ticket (anonymous reporters get theirs through the receipt
    page, which serves them itself)."""
    from complaints.models import Ticket
    from complaints.selectors import ticket_is_visible_to

    ticket = Ticket.objects.filter(pk=target_id).first()
    return ticket is not None and ticket_is_visible_to(user, ticket)
