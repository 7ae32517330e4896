"""Forms of the risk-register, screening and notice pages. They validate input; the views pass the cleaned
data to the services, which decide permission and the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import OFFICIAL_ROLES, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity.choices_risk import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    ControlKind,
    NoticeKind,
    NoticeVisibility,
    PullForwardReason,
    RiskArea,
    RiskLevel,
)
from integrity.selectors.risks import can_manage_risks, staff_department
from parks.models import Department, Park

LIKELIHOOD_CHOICES = [(n, f"{n} · {label}") for n, label in LIKELIHOOD_LABELS.items()]
IMPACT_CHOICES = [(n, f"{n} · {label}") for n, label in IMPACT_LABELS.items()]


class DateInput(forms.DateInput):
    input_type = "date"


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


def departments_for_reporting(user):
    """Departments `user` may register risks for: every active department of the parks whose register they
    manage, else their own department."""
    queryset = Department.objects.filter(is_active=True, park__is_active=True).select_related("park")
    ids = park_ids_for(user)
    if is_platform_admin(user):
        return queryset.order_by("park__name", "kind", "name")
    managed = [pk for pk in ids if can_manage_risks(user, pk)] if ids is not ALL else []
    own = staff_department(user)
    q = queryset.filter(park_id__in=managed)
    if own is not None:
        q = q | queryset.filter(pk=own.pk)
    return q.distinct().order_by("park__name", "kind", "name")


def officials_for(user):
    """Officials of the parks `user` sees (owners and post holders to choose from)."""
    queryset = get_user_model().objects.filter(is_active=True, groups__name__in=OFFICIAL_ROLES)
    ids = park_ids_for(user)
    if ids is not ALL:
        queryset = queryset.filter(staff_profile__parks__in=ids)
    return queryset.distinct().order_by("display_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.park.name} · {obj.name}"


class RiskForm(forms.Form):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none())
    post = forms.CharField(label=_("Post"), max_length=100, help_text=_("The post (岗位) the risk belongs to."))
    post_holder = UserChoiceField(label=_("Post holder"), queryset=get_user_model().objects.none(), required=False)
    area = forms.ChoiceField(label=_("Area"), choices=RiskArea.choices)
    title = forms.CharField(label=_("Risk point"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    manifestations = forms.CharField(
        label=_("Manifestations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner = UserChoiceField(label=_("Responsible person"), queryset=get_user_model().objects.none(), required=False)
    inherent_likelihood = forms.TypedChoiceField(label=_("Inherent likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int)
    inherent_impact = forms.TypedChoiceField(label=_("Inherent impact"), choices=IMPACT_CHOICES, coerce=int)
    residual_likelihood = forms.TypedChoiceField(label=_("Residual likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int)
    residual_impact = forms.TypedChoiceField(label=_("Residual impact"), choices=IMPACT_CHOICES, coerce=int)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for_reporting(user)
        people = officials_for(user)
        self.fields["owner"].queryset = people
        self.fields["post_holder"].queryset = people
        if editing:
            # Residual scores change only through a review.
            del self.fields["residual_likelihood"]
            del self.fields["residual_impact"]
        _style(self)


class ControlForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ControlKind.choices)
    description = forms.CharField(label=_("Control"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = UserChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officials_for(user)
        _style(self)


class ControlCompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"multiple": False}),
        help_text=_("Images, PDF or Office documents."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("Evidence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput(), initial=timezone.localdate)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    residual_likelihood = forms.TypedChoiceField(label=_("Residual likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int)
    residual_impact = forms.TypedChoiceField(label=_("Residual impact"), choices=IMPACT_CHOICES, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class PullForwardForm(forms.Form):
    reason = forms.ChoiceField(label=_("Because"), choices=PullForwardReason.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_date = forms.DateField(label=_("Review by"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MatrixForm(forms.Form):
    park = forms.ModelChoiceField(
        label=_("Park"), queryset=Park.objects.none(), required=False, empty_label=_("Platform default")
    )
    medium_from = forms.IntegerField(label=_("Medium from score"), min_value=2, max_value=25)
    high_from = forms.IntegerField(label=_("High from score"), min_value=2, max_value=25)
    major_from = forms.IntegerField(label=_("Major from score"), min_value=2, max_value=25)
    floor_impact_5 = forms.ChoiceField(
        label=_("Impact 5 at least"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    floor_impact_4 = forms.ChoiceField(
        label=_("Impact 4 at least"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    days_major = forms.IntegerField(label=_("Review every (days): major"), min_value=1)
    days_high = forms.IntegerField(label=_("Review every (days): high"), min_value=1)
    days_medium = forms.IntegerField(label=_("Review every (days): medium"), min_value=1)
    days_low = forms.IntegerField(label=_("Review every (days): low"), min_value=1)
    inherent_major_max_days = forms.IntegerField(label=_("Inherently major: at least every (days)"), min_value=1)
    upcoming_reminder_days = forms.IntegerField(label=_("Remind this many days before"), min_value=0, max_value=60)
    escalate_after_working_days = forms.IntegerField(
        label=_("Escalate after (working days)"), min_value=1, max_value=30
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        _style(self)

    def service_arguments(self):
        data = self.cleaned_data
        floors = {}
        if data["floor_impact_5"]:
            floors["5"] = data["floor_impact_5"]
        if data["floor_impact_4"]:
            floors["4"] = data["floor_impact_4"]
        return {
            "park": data["park"],
            "medium_from": data["medium_from"],
            "high_from": data["high_from"],
            "major_from": data["major_from"],
            "impact_floors": floors,
            "review_days": {
                "major": data["days_major"],
                "high": data["days_high"],
                "medium": data["days_medium"],
                "low": data["days_low"],
            },
            "inherent_major_max_days": data["inherent_major_max_days"],
            "upcoming_reminder_days": data["upcoming_reminder_days"],
            "escalate_after_working_days": data["escalate_after_working_days"],
            "note": data["note"],
        }

    @staticmethod
    def initial_from(version):
        return {
            "medium_from": version.medium_from,
            "high_from": version.high_from,
            "major_from": version.major_from,
            "floor_impact_5": version.impact_floors.get("5", ""),
            "floor_impact_4": version.impact_floors.get("4", ""),
            "days_major": version.review_days.get("major"),
            "days_high": version.review_days.get("high"),
            "days_medium": version.review_days.get("medium"),
            "days_low": version.review_days.get("low"),
            "inherent_major_max_days": version.inherent_major_max_days,
            "upcoming_reminder_days": version.upcoming_reminder_days,
            "escalate_after_working_days": version.escalate_after_working_days,
        }


class CampaignForm(forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    areas = forms.MultipleChoiceField(
        label=_("Areas in focus"), choices=RiskArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        _style(self)
        self.fields["areas"].widget.attrs.pop("class", None)


class ResponseForm(forms.Form):
    nil = forms.BooleanField(label=_("Nothing to report (nil response)"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class NoticeForm(forms.Form):
    number = forms.CharField(label=_("Issue"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=NoticeVisibility.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput(), initial=timezone.localdate)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    persons = forms.CharField(
        label=_("Persons named"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One per line: the name, then optionally a vertical bar and the unit and post (张三丰｜企业服务部科员). "
            "The public page masks these names everywhere in the notice."
        ),
    )

    def __init__(self, *args, park_field=None, **kwargs):
        super().__init__(*args, **kwargs)
        if park_field is not None:
            self.fields = {"park": park_field, **self.fields}
        _style(self)

    def clean_persons(self):
        persons = []
        for line in self.cleaned_data["persons"].splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, position = line.replace("｜", "|").partition("|")
            persons.append({"name": name.strip(), "position": position.strip()})
        return persons

    @staticmethod
    def persons_text(notice):
        return "\n".join(f"{p.name}｜{p.position}" if p.position else p.name for p in notice.persons.all())
