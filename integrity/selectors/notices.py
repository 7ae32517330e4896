"""Read queries of the disciplinary notices (通报); who sees what is decided here.

- The public (anyone): published public notices, with the persons' names masked wherever they occur.
- Officials of a park (park administrators, dispatchers, handlers, discipline officers): also the park's
  published internal notices, names in full.
- The park's discipline officers: also drafts and withdrawn notices (they write them).
- Platform administrators: everything.
Auditors and enterprise users see what the public sees.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import DISCIPLINE, OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import ALL, can_see_park, park_ids_for
from integrity.choices_risk import NoticeStatus, NoticeVisibility
from integrity.models import DisciplinaryNotice, NoticePerson


def _with_related(queryset):
    return queryset.select_related("park", "created_by", "published_by").prefetch_related(
        Prefetch("persons", queryset=NoticePerson.objects.order_by("order", "id"))
    )


def public_notices():
    """Published public notices of active parks, newest first (names are masked when rendered)."""
    return _with_related(
        DisciplinaryNotice.objects.filter(
            status=NoticeStatus.PUBLISHED, visibility=NoticeVisibility.PUBLIC, park__is_active=True
        )
    ).order_by("-published_at", "-id")


def public_notice_get(pk):
    try:
        return public_notices().get(pk=pk)
    except (DisciplinaryNotice.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such notice."), code="not_found", kind="not_found") from None


def _official_park_ids(user):
    if not getattr(user, "is_authenticated", False) or not has_role(user, *OFFICIAL_ROLES):
        return frozenset()
    return park_ids_for(user)


def notice_scope_q(user):
    """The notices `user` may read in full (names unmasked)."""
    if is_platform_admin(user):
        return Q()
    parks = _official_park_ids(user)
    if not parks:
        return None
    in_parks = Q() if parks is ALL else Q(park_id__in=parks)
    visible = in_parks & Q(status=NoticeStatus.PUBLISHED)
    if has_role(user, DISCIPLINE):
        visible |= in_parks
    return visible


def notice_list_for(user):
    """The notices `user` reads in full: published ones of their parks (internal and public), and for the
    park's discipline officers drafts and withdrawn ones as well. Empty for anyone else."""
    q = notice_scope_q(user)
    if q is None:
        return DisciplinaryNotice.objects.none()
    return _with_related(DisciplinaryNotice.objects.filter(q)).order_by("-issued_on", "-id")


def notice_get_for(user, pk):
    try:
        return notice_list_for(user).get(pk=pk)
    except (DisciplinaryNotice.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such notice."), code="not_found", kind="not_found") from None


def can_write_notices(user, park):
    """Draft, publish and withdraw the park's notices: its discipline officers, and platform administrators."""
    if is_platform_admin(user):
        return True
    return has_role(user, DISCIPLINE) and can_see_park(user, park)


def shows_names_to(user, notice):
    """Whether `user` reads `notice` with the persons' names in full."""
    q = notice_scope_q(user)
    return q is not None and DisciplinaryNotice.objects.filter(q, pk=notice.pk).exists()
