"""Every periodic (Celery beat) schedule of the portal, in one place (STYLE.md).

Each periodic task tolerates running twice at once: a unique constraint or `skip_locked` decides who works.
Apps add their entries here as their issues land.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Re-send notifications whose delivery was queued but never done (the broker lost the message).
    "core-sweep-notifications": {
        "task": "core.tasks.sweep_undelivered_notifications",
        "schedule": 300.0,
    },
    # Pull next year's statutory holidays from the calendar package as soon as it has them.
    "core-refresh-work-calendar": {
        "task": "core.tasks.sweep_work_calendar",
        "schedule": crontab(hour=3, minute=17),
    },
    # Complaints: route tickets a lost task left unrouted; send the 50/80/100 % reminders that are due.
    "complaints-sweep-unrouted-tickets": {
        "task": "complaints.tasks.sweep_unrouted_tickets",
        "schedule": 120.0,
    },
    "complaints-sweep-due-reminders": {
        "task": "complaints.tasks.sweep_due_reminders",
        "schedule": 60.0,
    },
    # Integrity: pledge renewals, declaration deadlines and the yearly round, each reminder recorded once.
    "integrity-sweep-pledge-renewals": {
        "task": "integrity.tasks.sweep_pledge_renewals",
        "schedule": crontab(hour=8, minute=5),
    },
    "integrity-sweep-declaration-reminders": {
        "task": "integrity.tasks.sweep_declaration_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    "integrity-sweep-yearly-returns": {
        "task": "integrity.tasks.sweep_yearly_returns",
        "schedule": crontab(hour=8, minute=15),
    },
    # Integrity: risk reviews (coming up, due, escalated 5 working days late) and screening reminders, each once.
    "integrity-sweep-risk-reviews": {
        "task": "integrity.tasks.sweep_risk_reviews",
        "schedule": crontab(hour=8, minute=20),
    },
    "integrity-sweep-screening-reminders": {
        "task": "integrity.tasks.sweep_screening_reminders",
        "schedule": crontab(hour=8, minute=25),
    },
    # Procurement: close bidding at each tender's deadline (publishing the commitments); qualification expiry
    # reminders at 30 and 7 days and on expiry, each once.
    "procurement-sweep-due-tenders": {
        "task": "procurement.tasks.sweep_due_tenders",
        "schedule": 60.0,
    },
    "procurement-sweep-qualification-reminders": {
        "task": "procurement.tasks.sweep_qualification_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Procurement: red flags of the last days' openings, awards and contracts a lost message left uncomputed.
    "procurement-sweep-red-flags": {
        "task": "procurement.tasks.sweep_red_flags",
        "schedule": crontab(hour=2, minute=40),
    },
}
