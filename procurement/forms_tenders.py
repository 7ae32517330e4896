"""Forms of the supplier and tender pages. They validate input; the views pass the cleaned data to the
services, which decide permission and the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Department, Enterprise, Park
from procurement.choices import Method, QualificationKind, TenderChangeKind
from procurement.models import Supplier, Tender
from procurement.services.tenders import CHANGE_KINDS


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `core.attachments.attachment_create` in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QualificationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    number = forms.CharField(label=_("Number"), max_length=100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=DateInput, help_text=_("Empty: does not expire.")
    )
    files = MultipleFileField(label=_("Documents"), help_text=_("Scans of the certificate (PDF or images)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def service_values(self):
        data = self.cleaned_data
        return {name: data.get(name) for name in ("kind", "name", "number", "issuer", "issued_on", "expires_on")} | {
            "files": data.get("files") or []
        }


class SupplierRegisterForm(QualificationForm):
    """Registration with its first qualification (more can be added afterwards)."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    park = forms.ModelChoiceField(
        label=_("Park"),
        queryset=Park.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Empty: the enterprise's own park."),
    )
    business_scope = forms.CharField(
        label=_("Goods, services and works offered"), widget=forms.Textarea(attrs={"rows": 3})
    )
    categories = forms.CharField(label=_("Categories"), max_length=200, required=False)

    field_order = ["enterprise", "park", "business_scope", "categories"]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if enterprises.count() == 1:
            self.fields["enterprise"].initial = enterprises.first().pk
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TenderForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = [
            "title",
            "method",
            "category",
            "buyer_department",
            "needs",
            "qualification_requirements",
            "budget",
            "price_weight",
            "justification",
            "proposed_supplier",
            "invited_suppliers",
            "decision",
        ]
        widgets = {
            "needs": forms.Textarea(attrs={"rows": 5}),
            "qualification_requirements": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 3}),
            "invited_suppliers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.park = park
        self.fields["method"].choices = Method.choices
        self.fields["buyer_department"].queryset = Department.objects.filter(park=park, is_active=True).order_by("name")
        approved = Supplier.objects.filter(park=park, status="approved").select_related("enterprise")
        self.fields["proposed_supplier"].queryset = approved
        self.fields["invited_suppliers"].queryset = approved
        self.fields["proposed_supplier"].help_text = _("Single source only.")
        self.fields["invited_suppliers"].help_text = _("Invited tender only: at least 3.")
        from integrity.models import CollectiveDecision

        self.fields["decision"].queryset = (
            CollectiveDecision.objects.filter(park=park).select_related("meeting").order_by("-meeting__held_on", "-id")
        )
        self.fields["justification"].help_text = _("Single source only: why only one supplier can meet the need.")
        _style(self)

    def _post_clean(self):
        # The service validates and saves; the model form only parses the input.
        pass

    def service_values(self):
        data = dict(self.cleaned_data)
        data["invited_suppliers"] = list(data.get("invited_suppliers") or [])
        data["qualification_requirements"] = data.get("qualification_requirements") or ""
        data["justification"] = data.get("justification") or ""
        return data


class TenderPublishForm(forms.Form):
    bid_deadline = forms.DateTimeField(
        label=_("Bid deadline and opening time"), widget=DateTimeInput, input_formats=DATETIME_FORMATS
    )
    clarification_deadline = forms.DateTimeField(
        label=_("Clarification questions until"),
        widget=DateTimeInput,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Empty: the latest the method's rule allows."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TenderChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in CHANGE_KINDS])
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    new_deadline = forms.DateTimeField(
        label=_("New bid deadline"),
        widget=DateTimeInput,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Only to move the deadline later; a late change moves it by itself."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = TenderChangeKind.AMENDMENT
        _style(self)


class QuestionForm(forms.Form):
    question = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
