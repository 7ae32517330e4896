"""Forms of the 三重一大 register's pages. They validate input; the views pass the cleaned data to
`integrity.services.decisions`, which decides permission and the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from integrity.choices_decisions import Attendance, BodyKind, DecisionKind, MeetingType, Outcome, Position
from integrity.forms_risk import DateInput, UserChoiceField, _style
from integrity.models import CollectiveDecision, DecisionBody, DecisionBodyMember

MONEY = {"max_digits": 14, "decimal_places": 2}


class ParkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting.held_on:%Y-%m-%d} · {obj.title}"


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.park.name} · {obj.name}"


def _recordable(user):
    from integrity.selectors.decisions import recordable_parks

    return recordable_parks(user)


class ThresholdForm(forms.Form):
    park = ParkChoiceField(label=_("Park"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind of item"), choices=[("", _("All kinds"))] + list(DecisionKind.choices), required=False
    )
    amount = forms.DecimalField(label=_("Threshold (yuan)"), min_value=0, **MONEY)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = _recordable(user)
        _style(self)


class BodyForm(forms.Form):
    park = ParkChoiceField(label=_("Park"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 党工委会议."))
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = _recordable(user)
        if editing:
            del self.fields["park"]
            self.fields["active"] = forms.BooleanField(label=_("Active"), required=False)
        _style(self)


class MemberForm(forms.Form):
    user = UserChoiceField(
        label=_("Official"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Leave empty for a member without an account; then give the name."),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    post = forms.CharField(label=_("Post"), max_length=100)
    from_date = forms.DateField(label=_("Member from"), widget=DateInput())
    to_date = forms.DateField(label=_("Member until"), widget=DateInput(), required=False)

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        from integrity.selectors.access import park_officials

        self.fields["user"].queryset = park_officials(park).order_by("display_name", "username")
        _style(self)


class MemberEndForm(forms.Form):
    to_date = forms.DateField(label=_("Last day on the body"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MeetingForm(forms.Form):
    body = BodyChoiceField(label=_("Body"), queryset=DecisionBody.objects.none())
    meeting_type = forms.ChoiceField(label=_("Meeting type"), choices=MeetingType.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    number = forms.CharField(label=_("Number"), max_length=50, required=False, help_text=_("For example 2026年第3次."))
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    agenda_notified_on = forms.DateField(
        label=_("Agenda notified on"),
        widget=DateInput(),
        required=False,
        help_text=_("When the agenda was sent to the members."),
    )
    chair = forms.ModelChoiceField(label=_("Chaired by"), queryset=DecisionBodyMember.objects.none(), required=False)

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is None:
            del self.fields["chair"]
            parks = _recordable(user)
            self.fields["body"].queryset = (
                DecisionBody.objects.filter(park__in=parks, active=True)
                .select_related("park")
                .order_by("park__name", "name")
            )
        else:
            del self.fields["body"]
            self.fields["chair"].queryset = meeting.body.members.order_by("from_date", "id")
        _style(self)


class DecisionForm(forms.Form):
    item_number = forms.IntegerField(label=_("Agenda item"), min_value=1, max_value=999, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, required=False, **MONEY)
    notified_in_advance = forms.BooleanField(
        label=_("On the agenda notified in advance"),
        required=False,
        initial=True,
        help_text=_("Untick for an item raised at the meeting without notice (临时动议)."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MinutesForm(forms.Form):
    minutes = forms.FileField(label=_("Minutes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class _PerMemberForm(forms.Form):
    """One choice and one text per member entitled to sit; `entries()` gives the filled ones."""

    choice_label = ""
    choices = ()
    text_label = ""

    def __init__(self, *args, members, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        initial_values = initial_values or {}
        for member in self.members:
            choice, text = initial_values.get(member.pk, ("", ""))
            self.fields[f"m{member.pk}"] = forms.ChoiceField(
                label=f"{member.name} · {member.post}",
                choices=[("", "—"), *self.choices],
                required=False,
                initial=choice,
            )
            self.fields[f"t{member.pk}"] = forms.CharField(
                label=self.text_label, max_length=2000, required=False, initial=text
            )
        _style(self)

    def rows(self):
        return [(member, self[f"m{member.pk}"], self[f"t{member.pk}"]) for member in self.members]

    def entries(self, choice_key, text_key):
        data = self.cleaned_data
        return [
            {"member": member, choice_key: data[f"m{member.pk}"], text_key: data[f"t{member.pk}"]}
            for member in self.members
            if data.get(f"m{member.pk}")
        ]


class AttendanceForm(_PerMemberForm):
    choices = Attendance.choices
    text_label = _("Reason for absence")


class VotesForm(_PerMemberForm):
    choices = Position.choices
    text_label = _("Dissent or reason")


class PaymentForm(forms.Form):
    park = ParkChoiceField(label=_("Park"), queryset=None)
    payee = forms.CharField(label=_("Payee"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, **MONEY)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    reference = forms.CharField(label=_("Voucher number"), max_length=50, required=False)
    decision = DecisionChoiceField(
        label=_("Collective decision"), queryset=CollectiveDecision.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from integrity.selectors.decisions import decisions_for_linking

        self.fields["park"].queryset = _recordable(user)
        self.fields["decision"].queryset = decisions_for_linking(user)
        _style(self)


class LinkForm(forms.Form):
    decision = DecisionChoiceField(
        label=_("Collective decision"), queryset=CollectiveDecision.objects.none(), required=False
    )

    def __init__(self, *args, user, park, **kwargs):
        super().__init__(*args, **kwargs)
        from integrity.selectors.decisions import decisions_for_linking

        self.fields["decision"].queryset = decisions_for_linking(user, park)
        _style(self)
