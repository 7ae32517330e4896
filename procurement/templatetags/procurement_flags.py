"""``{% tender_flags tender user as section %}``: the red flags of one tender as `user` may see them, for
``procurement/flags/_tender_section.html`` (included by the tender page, which may be public: anyone outside
procurement of the park gets ``visible=False`` and the section renders nothing)."""

from django import template

from procurement.selectors.flags import can_see_flags, flags_of_tender_for

register = template.Library()


@register.simple_tag
def tender_flags(tender, user):
    if tender is None or not getattr(user, "is_authenticated", False) or not can_see_flags(user, tender.park_id):
        return {"visible": False, "flags": [], "blocking": 0}
    flags = list(flags_of_tender_for(user, tender))
    return {
        "visible": True,
        "flags": flags,
        "blocking": sum(1 for flag in flags if flag.blocking and flag.status == "open"),
    }
