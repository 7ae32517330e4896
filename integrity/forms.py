"""Forms of the integrity pages. They validate input only; the views hand the cleaned data to
`integrity.services`, and show a service's DomainError next to the field it names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import (
    Audience,
    ConductKind,
    DeclarationKind,
    RequiredAction,
    SignerKind,
    VerificationOutcome,
)
from integrity.models import FamilyEventDeclaration, GiftDeclaration, InterestDeclaration
from parks.models import Enterprise, Park


class BootstrapMixin:
    """Bootstrap classes on every widget, and service errors shown on the field they name."""

    def style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def add_domain_error(self, error):
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclarationFormMixin(BootstrapMixin):
    """The park the declaration is filed in (only when the official serves in several)."""

    def __init__(self, *args, parks=None, **kwargs):
        super().__init__(*args, **kwargs)
        parks = list(parks or ())
        if len(parks) > 1:
            self.fields["park"] = forms.ModelChoiceField(
                label=_("Park"), queryset=Park.objects.filter(pk__in=[p.pk for p in parks]), required=True
            )
            self.order_fields(["park"])
        self.style_fields()

    def service_data(self):
        """The cleaned data the service takes (the park is passed separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "park"}


class GiftDeclarationForm(DeclarationFormMixin, forms.ModelForm):
    class Meta:
        model = GiftDeclaration
        fields = [
            "giver_name",
            "giver_credit_code",
            "received_on",
            "gift_kind",
            "description",
            "estimated_value",
            "handling",
            "handled_on",
            "handling_note",
        ]
        widgets = {
            "received_on": DATE,
            "handled_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "handling_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "giver_name": _("The person, or the enterprise and its representative."),
            "giver_credit_code": _("If the giver is an enterprise: its unified social credit code."),
            "handling": _("Cash, shopping cards, vouchers and securities must always be handed in."),
        }


class FamilyEventDeclarationForm(DeclarationFormMixin, forms.ModelForm):
    invited_enterprises = forms.ModelMultipleChoiceField(
        label=_("Invited enterprises of the park"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = FamilyEventDeclaration
        fields = [
            "event_kind",
            "person_concerned",
            "event_date",
            "venue",
            "tables",
            "guests",
            "invited_enterprises",
            "invited_others",
            "description",
        ]
        widgets = {
            "event_date": DATE,
            "invited_others": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "event_date": _("Weddings and celebrations are reported 3 to 10 days before, funerals within 10 days."),
        }

    def __init__(self, *args, parks=None, **kwargs):
        super().__init__(*args, parks=parks, **kwargs)
        park_ids = [p.pk for p in parks or ()]
        self.fields["invited_enterprises"].queryset = Enterprise.objects.filter(
            park_id__in=park_ids, status=Enterprise.Status.VERIFIED
        ).order_by("name")


class InterestDeclarationForm(DeclarationFormMixin, forms.ModelForm):
    class Meta:
        model = InterestDeclaration
        fields = [
            "relative_name",
            "relation",
            "enterprise_name",
            "credit_code",
            "role",
            "stake_percent",
            "start_date",
            "change_date",
            "change_description",
            "outcome",
            "ended_on",
        ]
        widgets = {
            "start_date": DATE,
            "change_date": DATE,
            "ended_on": DATE,
            "credit_code": forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off"}),
            "change_description": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "change_date": _("A change (new role, stake, enterprise) is declared within 30 days."),
        }


DECLARATION_FORMS = {
    DeclarationKind.GIFT: GiftDeclarationForm,
    DeclarationKind.FAMILY_EVENT: FamilyEventDeclarationForm,
    DeclarationKind.INTEREST: InterestDeclarationForm,
}


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class AcceptForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class RequireActionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action required"), choices=RequiredAction.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ReportActionForm(BootstrapMixin, forms.Form):
    report = forms.CharField(label=_("What you did"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class YearlyReturnForm(BootstrapMixin, forms.Form):
    is_nil = forms.BooleanField(label=_("Nil return: I have nothing to report for this year"), required=False)
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you had to report this year: gifts, family events, relatives' businesses."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class OpenRoundForm(BootstrapMixin, forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.none())
    year = forms.IntegerField(label=_("Year reported on"), min_value=2000)

    def __init__(self, *args, parks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(pk__in=[p.pk for p in parks]).order_by("name")
        self.fields["year"].initial = timezone.localdate().year - 1
        self.style_fields()


class DrawSampleForm(BootstrapMixin, forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.none())
    period_start = forms.DateField(label=_("Submitted from"), widget=DATE)
    period_end = forms.DateField(label=_("Submitted until"), widget=DATE)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        choices=DeclarationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all kinds."),
    )
    percent = forms.IntegerField(label=_("Share (%)"), min_value=1, max_value=100, required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, parks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(pk__in=[p.pk for p in parks]).order_by("name")
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today
        self.style_fields()

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class VerifyItemForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(v, label) for v, label in VerificationOutcome.choices if v != VerificationOutcome.PENDING],
    )
    note = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class PledgeTemplateForm(BootstrapMixin, forms.Form):
    signer_kind = forms.ChoiceField(label=_("Signed by"), choices=SignerKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    term_days = forms.IntegerField(label=_("Valid for (days)"), min_value=30, initial=365)
    cited_items = forms.ModelMultipleChoiceField(
        label=_("Cited conduct items"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cited_items"].queryset = items
        self.fields["cited_items"].label_from_instance = lambda item: f"[{item.get_kind_display()}] {item.text}"
        self.style_fields()


class ConductListForm(BootstrapMixin, forms.Form):
    """A new version of a list: one item a line in each of the three boxes, in order."""

    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    prohibited = forms.CharField(
        label=ConductKind.PROHIBITED.label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item a line."),
    )
    norm = forms.CharField(
        label=ConductKind.NORM.label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item a line."),
    )
    permitted = forms.CharField(
        label=ConductKind.PERMITTED.label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item a line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def items(self):
        result = []
        for kind in (ConductKind.PROHIBITED, ConductKind.NORM, ConductKind.PERMITTED):
            for line in self.cleaned_data.get(kind.value, "").splitlines():
                if line.strip():
                    result.append((kind.value, line.strip()))
        return result
