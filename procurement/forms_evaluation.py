"""Forms of the evaluation, award, objection and contract pages. They validate input; the views pass the
cleaned values to the services, which decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from procurement.choices import EvaluatorKind


class _Styled(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class PoolAddForm(_Styled):
    username = forms.CharField(label=_("User name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluatorKind.choices)
    specialty = forms.CharField(label=_("Specialty"), max_length=200, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_credit_code = forms.CharField(label=_("Employer's credit code"), max_length=18, required=False)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


class DrawForm(_Styled):
    size = forms.IntegerField(label=_("Committee size"), min_value=3, max_value=25)


class ScoreForm(_Styled):
    technical_score = forms.DecimalField(
        label=_("Technical mark (0–100)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    passes_qualification = forms.TypedChoiceField(
        label=_("Qualification"),
        choices=[("1", _("Meets the requirements")), ("0", _("Does not meet them"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(_Styled):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AwardForm(_Styled):
    bid = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (required unless the first-ranked bid is chosen)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ObjectionForm(_Styled):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class ObjectionAnswerForm(_Styled):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Rejected")), ("1", _("Upheld"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(label=_("Written answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionClassifyForm(_Styled):
    may_affect_result = forms.TypedChoiceField(
        label=_("May affect the result"),
        choices=[("1", _("Yes: contract signing waits for the answer")), ("0", _("No"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ContractForm(_Styled):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Value (yuan)"), max_digits=14, decimal_places=2)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    period_start = forms.DateField(
        label=_("Performance starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Performance ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AmendmentForm(_Styled):
    value_change = forms.DecimalField(label=_("Change of value (yuan)"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
