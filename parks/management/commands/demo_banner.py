"""Print where the demo runs and how to sign in: the address, every demo account and the password.
`make run` calls it after loading the demo data."""

import os
import unicodedata

from django.core.management.base import BaseCommand
from django.utils import translation

from core.roles import ROLE_LABELS
from parks import demo


def width(text):
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, columns):
    return text + " " * (columns - width(text))


class Command(BaseCommand):
    help = "Print the demo address and the demo accounts."

    def handle(self, *args, **options):
        port = os.environ.get("PORT", "").strip() or "8000"
        applicants = {spec["applicant"][1] for spec in demo.PARKS}
        rows = []
        for username, role, park in demo.demo_accounts():
            with translation.override("zh-hans"):
                label = str(ROLE_LABELS[role])
            with translation.override("en"):
                label = f"{label} / {ROLE_LABELS[role]}"
            if username in applicants:
                label += " (待审核 / pending)"
            rows.append((username, label, park or "全部园区 / all parks"))
        widths = [max(width(row[i]) for row in rows) for i in range(2)]
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"清廉园区 portal: http://127.0.0.1:{port}/"))
        out.write(f"API docs: http://127.0.0.1:{port}/api/docs/   Admin: http://127.0.0.1:{port}/admin/")
        out.write("")
        out.write(f"{pad('username', widths[0])}  {pad('role', widths[1])}  park")
        for username, label, park in rows:
            out.write(f"{pad(username, widths[0])}  {pad(label, widths[1])}  {park}")
        out.write("")
        out.write(f"Password for every demo account / 所有演示账号的密码: {demo.DEMO_PASSWORD}")
        out.write("")
