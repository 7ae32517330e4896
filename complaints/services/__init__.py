"""Every state change of the 吐槽区, one function per action (see each module's docstring):

- `intake`: `ticket_submit` (every channel) and numbering;
- `lifecycle`: accept, reject, merge, dispatch, return and its decision, sign, extension request and
  decision, reply, confirm, follow-up, reject the answer, supervise, messages, dismiss a duplicate;
- `routing`: `ticket_route`, duplicate detection, `sweep_unrouted_tickets`;
- `sla`: deadlines, reminders and escalation, `sweep_due_reminders`;
- `receipts`: anonymous receipts, `receipt_lookup`;
- `config`: categories and routing rules, the default category tree.
"""

from complaints.services.config import (
    category_save,
    complaints_install_default_categories,
    routing_rule_save,
)
from complaints.services.intake import Submission, next_ticket_number, ticket_submit
from complaints.services.lifecycle import (
    duplicate_suggestion_dismiss,
    ticket_accept,
    ticket_confirm,
    ticket_dispatch,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_followup_record,
    ticket_merge,
    ticket_message_post,
    ticket_reject,
    ticket_reject_answer,
    ticket_reply,
    ticket_return,
    ticket_return_decide,
    ticket_sign,
    ticket_supervise,
)
from complaints.services.receipts import format_receipt_code, receipt_lookup
from complaints.services.routing import sweep_unrouted_tickets, ticket_route
from complaints.services.sla import sweep_due_reminders, ticket_send_due_reminders

__all__ = [
    "Submission",
    "category_save",
    "complaints_install_default_categories",
    "duplicate_suggestion_dismiss",
    "format_receipt_code",
    "next_ticket_number",
    "receipt_lookup",
    "routing_rule_save",
    "sweep_due_reminders",
    "sweep_unrouted_tickets",
    "ticket_accept",
    "ticket_confirm",
    "ticket_dispatch",
    "ticket_extension_decide",
    "ticket_extension_request",
    "ticket_followup_record",
    "ticket_merge",
    "ticket_message_post",
    "ticket_reject",
    "ticket_reject_answer",
    "ticket_reply",
    "ticket_return",
    "ticket_return_decide",
    "ticket_route",
    "ticket_send_due_reminders",
    "ticket_sign",
    "ticket_submit",
    "ticket_supervise",
]
