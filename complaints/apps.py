from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """吐槽区: enterprises' complaints and demands (DESIGN §6)."""

    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from core.attachments import register_attachment_access

        register_attachment_access("complaints.ticket", _can_view_ticket_files)

        from core.audit import register_trail_visibility

        register_trail_visibility(["complaints.ticket"], _visible_ticket_ids)

        from complaints.ui import register_ui

        register_ui()


def _can_view_ticket_files(user, target_id):
    """Files of a ticket: whoever may see the ticket (anonymous reporters get theirs through the receipt
    page, which serves them itself)."""
    from complaints.models import Ticket
    from complaints.selectors import ticket_is_visible_to

    ticket = Ticket.objects.filter(pk=target_id).first()
    return ticket is not None and ticket_is_visible_to(user, ticket)


def _visible_ticket_ids(user):
    """Ids (as text, like AuditEvent.target_id) of the tickets whose trail `user` may read: exactly the
    tickets they may see, so a confidential ticket's events stay inside the discipline office."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from complaints.selectors import ticket_scope_for

    return ticket_scope_for(user).annotate(_target_id=Cast("pk", output_field=CharField())).values("_target_id")
