"""Open311 GeoReport v2 (JSON) for the 吐槽区: https://wiki.open311.org/GeoReport_v2

- ``GET services.json``: the categories shown on the public form; ``service_code`` is the category's code,
  ``group`` its top-level category, ``keywords`` the keywords of its routing rules.
- ``GET requests.json`` / ``GET requests/{id}.json``: public requests — every ticket that is not
  confidential — with nothing personal: no filer, no contact; the description (personal data removed) only
  when the filer consented to publication. ``service_request_id`` is the ticket number.
- ``POST requests.json`` (form-encoded): files a ticket on the ``open311`` channel through `ticket_submit`.
  Without ``api_key`` it is an anonymous report and ``service_notice`` carries its receipt code (shown this
  once); with a valid API token (accounts' tokens) it is filed as that user.

``jurisdiction_id`` is a park's code. The portal serves several parks, so it is required where a service
code alone would be ambiguous (services list, new requests) unless only one park is active. Statuses map
to ``open`` (submitted … replied) and ``closed`` (closed, rejected, merged). Errors are the spec's list of
``{"code", "description"}`` with the HTTP status in ``code``.
"""

import re
from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from complaints.choices import OPEN_STATUSES, Channel, Status
from complaints.models import Category, RoutingRule, Ticket
from complaints.redaction import ticket_redactor
from complaints.services import ticket_submit
from core.errors import DomainError
from core.workcalendar import end_of_day
from parks.models import Park

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
CLOSED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.MERGED)
_COORDINATES = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def _error(status, description):
    return JsonResponse([{"code": status, "description": str(description)}], status=status, safe=False)


def _json(data, status=200):
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(str(description))
        self.status = status
        self.description = description


def _parks():
    return Park.objects.filter(is_active=True)


def _jurisdiction(request, *, required):
    """The park of ``jurisdiction_id``; None when absent and not required."""
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if code:
        park = _parks().filter(code__iexact=code).first()
        if park is None:
            raise Open311Error(404, _("Unknown jurisdiction_id."))
        return park
    if required:
        parks = list(_parks()[:2])
        if len(parks) == 1:
            return parks[0]
        raise Open311Error(400, _("jurisdiction_id (the park's code) is required."))
    return None


def _public_categories(park):
    return (
        Category.objects.filter(park=park, is_active=True, show_on_public_form=True)
        .exclude(is_misconduct=True)
        .exclude(is_confidential=True)
        .select_related("parent")
        .order_by("parent__order", "order", "name")
    )


def _handle(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Open311Error as error:
            return _error(error.status, error.description)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@_handle
def services(request):
    """The service list of a park (jurisdiction)."""
    park = _jurisdiction(request, required=True)
    categories = list(_public_categories(park))
    keywords = {}
    for rule in RoutingRule.objects.filter(park=park, is_active=True, category__in=categories):
        keywords.setdefault(rule.category_id, []).extend(rule.keyword_list)
    # Misconduct reports are confidential and go only to the discipline office: they are not a public
    # service here, and the public form (with its anonymous receipt) is where they are filed.
    return _json(
        [
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.description or str(category),
                "metadata": False,
                "type": "realtime",
                "keywords": ",".join(dict.fromkeys(keywords.get(category.pk, []))),
                "group": category.parent.name if category.parent_id else category.name,
            }
            for category in categories
        ]
    )


def _public_tickets():
    return (
        Ticket.objects.filter(is_confidential=False)
        .select_related("park", "category", "lead_department", "enterprise", "submitter")
        .select_related("assignee", "accused_official", "replied_by")
        .prefetch_related(Prefetch("co_departments"))
    )


def _coordinates(place):
    match = _COORDINATES.match(place or "")
    if not match:
        return None, None
    return float(match.group(1)), float(match.group(2))


def _status_notes(ticket):
    if ticket.status == Status.REJECTED:
        return _("Not accepted.")
    if ticket.status == Status.MERGED:
        return _("Handled together with %(number)s.") % {"number": ticket.merged_into.number}
    if ticket.status == Status.CLOSED:
        return _("Answered and closed.")
    return ticket.get_status_display()


def _request_json(ticket):
    lat, long = _coordinates(ticket.place)
    description = ticket_redactor(ticket)(ticket.body) if ticket.consent_to_publish else ""
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in CLOSED_STATUSES else "open",
        "status_notes": _status_notes(ticket),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": description,
        "agency_responsible": ticket.lead_department.name if ticket.lead_department_id else ticket.park.name,
        "service_notice": "",
        "requested_datetime": _iso(ticket.created_at),
        "updated_datetime": _iso(ticket.updated_at),
        "expected_datetime": _iso(ticket.reply_due) if ticket.status in OPEN_STATUSES else None,
        "address": "" if lat is not None else ticket.place,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": None,
    }


def _moment(value, *, end=False):
    """A W3C datetime, or a date (its start, or with `end` its end)."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    day = parse_date(value)
    if day is None:
        raise Open311Error(400, _("Dates are W3C datetimes, e.g. 2025-06-09T10:00:00+08:00."))
    if end:
        return end_of_day(day)
    return timezone.make_aware(datetime.combine(day, time.min))


def _list_requests(request):
    qs = _public_tickets().select_related("merged_into")
    park = _jurisdiction(request, required=False)
    if park is not None:
        qs = qs.filter(park=park)
    ids = [i.strip() for i in (request.GET.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return qs.filter(number__in=ids).order_by("-created_at")
    codes = [c.strip() for c in (request.GET.get("service_code") or "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    start, end = _moment(request.GET.get("start_date")), _moment(request.GET.get("end_date"), end=True)
    if start is None and end is None:
        # The spec's default window: the last 90 days.
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    wanted = [v.strip() for v in (request.GET.get("status") or "").split(",") if v.strip()]
    if wanted:
        statuses = set()
        if "open" in wanted:
            statuses |= set(OPEN_STATUSES)
        if "closed" in wanted:
            statuses |= set(CLOSED_STATUSES)
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-created_at", "-id")


@csrf_exempt  # a public, form-encoded API: no cookie is read, the caller is the api_key or nobody
@require_http_methods(["GET", "POST"])
@_handle
def requests(request):
    """GET: public requests, filtered as the spec says; POST: a new request."""
    if request.method == "POST":
        return _create(request)
    return _json([_request_json(t) for t in _list_requests(request)[:MAX_REQUESTS]])


@require_GET
@_handle
def request_detail(request, number):
    """One public request by its id (the ticket number)."""
    qs = _public_tickets().select_related("merged_into").filter(number=number)
    park = _jurisdiction(request, required=False)
    if park is not None:
        qs = qs.filter(park=park)
    ticket = qs.first()
    if ticket is None:
        raise Open311Error(404, _("No such service request."))
    return _json([_request_json(ticket)])


def _api_user(key):
    if not key:
        return None
    from rest_framework.exceptions import AuthenticationFailed

    from accounts.authentication import ApiTokenAuthentication

    try:
        user, _token = ApiTokenAuthentication().authenticate_credentials(key)
    except AuthenticationFailed as error:
        raise Open311Error(403, _("Invalid api_key.")) from error
    return user


def _create(request):
    data = request.POST
    user = _api_user(data.get("api_key", "").strip())
    park = _jurisdiction(request, required=True)
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = _public_categories(park).filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code."))
    description = (data.get("description") or "").strip()
    if not description:
        raise Open311Error(400, _("description is required."))
    lat, long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    place = (data.get("address_string") or "").strip()
    if not place and lat and long:
        place = f"{lat},{long}"
    name = " ".join(p for p in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if p)
    subject = description.splitlines()[0][:60]
    try:
        submission = ticket_submit(
            park=park,
            category=category,
            subject=subject,
            body=description,
            actor=user,
            channel=Channel.OPEN311,
            place=place,
            contact_name=name,
            contact_phone=(data.get("phone") or "").strip(),
            is_anonymous=user is None,
        )
    except DomainError as error:
        raise Open311Error(error.status_code, error.message) from error
    ticket = submission.ticket
    if submission.receipt_code:
        notice = _(
            "Anonymous report received. Receipt code: %(code)s — write it down: it is shown only this once and "
            "is needed to follow the report."
        ) % {"code": submission.receipt_code}
    else:
        notice = _("Received. The park's intake desk accepts demands within one working day.")
    return _json([{"service_request_id": ticket.number, "service_notice": notice, "account_id": None}], status=201)
