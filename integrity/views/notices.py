"""Pages of the disciplinary notices (通报).

The public list and page show published public notices with the persons' names masked (in the list of
persons, the title and the body). Officials of a park read its notices in full on the officials' list; the
park's discipline officers draft, publish and withdraw them there. Reads go through
`integrity.selectors.notices`, changes through `integrity.services.notices` (POST only).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import DISCIPLINE, OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity.choices_risk import NoticeStatus
from integrity.filters_risk import NoticeFilterSet, PublicNoticeFilterSet
from integrity.forms_risk import NoticeForm, ReasonForm
from integrity.selectors import notices as selectors
from integrity.services import notices as services
from parks.models import Park

PER_PAGE = 20


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        widget.attrs["class"] = (
            "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        )
    return form


def _filtered(filterset):
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset


def _writable_parks(user):
    parks = Park.objects.filter(is_active=True).order_by("name")
    if is_platform_admin(user):
        return parks
    if not has_role(user, DISCIPLINE):
        return parks.none()
    ids = park_ids_for(user)
    return parks if ids is ALL else parks.filter(pk__in=ids)


def public_list(request):
    """Anyone: published public notices of every park, names masked."""
    filterset = PublicNoticeFilterSet(request.GET or None, queryset=selectors.public_notices())
    page, query = _page(request, _filtered(filterset))
    _style(filterset.form)
    return render(request, "integrity/notices/public_list.html", {"filterset": filterset, "page": page, "query": query})


def notice_detail(request, pk):
    """A notice: in full for those who may read it so (officials of its park, its discipline office);
    masked for everyone else when it is a published public notice; otherwise not found."""
    user = request.user
    try:
        notice = selectors.notice_get_for(user, pk)
        full = True
    except DomainError:
        try:
            notice = selectors.public_notice_get(pk)
        except DomainError:
            raise Http404 from None
        full = False
    writer = full and selectors.can_write_notices(user, notice.park_id)
    return render(
        request,
        "integrity/notices/detail.html",
        {
            "notice": notice,
            "full": full,
            "title": notice.title if full else notice.masked_title,
            "body": notice.body if full else notice.masked_body,
            "persons": [
                {"name": p.name if full else p.masked_name, "position": p.position} for p in notice.persons.all()
            ],
            "can_edit": writer and notice.status == NoticeStatus.DRAFT,
            "can_publish": writer and notice.status == NoticeStatus.DRAFT,
            "can_withdraw": writer and notice.status == NoticeStatus.PUBLISHED,
            "reason_form": ReasonForm(),
        },
    )


@login_required
def notice_list(request):
    """Officials: the notices of their parks in full; the discipline office's drafts and withdrawn ones
    too."""
    user = request.user
    if not (is_platform_admin(user) or has_role(user, *OFFICIAL_ROLES)):
        raise Http404
    filterset = NoticeFilterSet(request.GET or None, queryset=selectors.notice_list_for(user))
    page, query = _page(request, _filtered(filterset))
    _style(filterset.form)
    return render(
        request,
        "integrity/notices/list.html",
        {"filterset": filterset, "page": page, "query": query, "can_draft": _writable_parks(user).exists()},
    )


def _park_field(parks):
    return forms.ModelChoiceField(label=gettext_lazy("Park"), queryset=parks, initial=parks.first())


@login_required
def notice_create(request):
    user = request.user
    parks = _writable_parks(user)
    if not parks.exists():
        raise Http404
    form = NoticeForm(request.POST or None, park_field=_park_field(parks))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            notice = services.notice_draft(actor=user, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The notice was saved as a draft."))
            return redirect("integrity:notice-detail", pk=notice.pk)
    return render(request, "integrity/notices/form.html", {"form": form, "notice": None})


def _own_notice_or_404(user, pk):
    try:
        notice = selectors.notice_get_for(user, pk)
    except DomainError:
        raise Http404 from None
    if not selectors.can_write_notices(user, notice.park_id):
        raise Http404
    return notice


@login_required
def notice_edit(request, pk):
    user = request.user
    notice = _own_notice_or_404(user, pk)
    initial = {
        "number": notice.number,
        "kind": notice.kind,
        "visibility": notice.visibility,
        "issued_on": notice.issued_on,
        "title": notice.title,
        "body": notice.body,
        "persons": NoticeForm.persons_text(notice),
    }
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        persons = data.pop("persons")
        try:
            services.notice_update(notice=notice, actor=user, persons=persons, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The notice was updated."))
            return redirect("integrity:notice-detail", pk=notice.pk)
    return render(request, "integrity/notices/form.html", {"form": form, "notice": notice})


@login_required
@require_POST
def notice_publish(request, pk):
    notice = _own_notice_or_404(request.user, pk)
    try:
        services.notice_publish(notice=notice, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The notice was published."))
    return redirect("integrity:notice-detail", pk=notice.pk)


@login_required
@require_POST
def notice_withdraw(request, pk):
    notice = _own_notice_or_404(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.notice_withdraw(notice=notice, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The notice was withdrawn."))
    return redirect("integrity:notice-detail", pk=notice.pk)
