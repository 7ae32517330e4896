"""Forms of the service rating cards: the public rating form and the reason for revoking a card. They validate
input only; the views pass the cleaned data to `integrity.services.ratings`, whose `DomainError`s come back
as errors on the named field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import BootstrapMixin
from integrity.services.ratings import COMMENT_MAX, REASON_MAX, REPORT_MAX

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ScoreField(forms.TypedChoiceField):
    def __init__(self, *, label, help_text):
        super().__init__(
            label=label,
            help_text=help_text,
            choices=SCORE_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        )


class ServiceRatingForm(BootstrapMixin, forms.Form):
    """Attitude, efficiency and integrity on 1–5, a comment, and the box to report an improper demand.

    `enterprises` are the rater's enterprises in the card's park: with more than one the form asks which one
    rates; with any, it offers to report anonymously (a visitor without an account always does)."""

    attitude = ScoreField(label=_("Attitude"), help_text=_("1 = very poor, 5 = excellent."))
    efficiency = ScoreField(label=_("Efficiency"), help_text=_("Did things get done quickly and correctly?"))
    integrity = ScoreField(label=_("Integrity"), help_text=_("Fair, clean, no favours asked."))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Seen by the discipline office only."),
    )
    enterprise = forms.ModelChoiceField(label=_("Rate for"), queryset=None, required=False)
    improper_demand = forms.BooleanField(
        label=_("I want to report an improper demand (吃拿卡要): favours, gifts, meals, money or deliberate delays"),
        required=False,
    )
    improper_demand_text = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=REPORT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was asked, when and where. The report goes to the discipline office only, in confidence."),
    )
    report_anonymously = forms.BooleanField(label=_("Report anonymously"), required=False)

    def __init__(self, *args, enterprises=None, signed_in_enterprise=False, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = enterprises if enterprises is not None else []
        if len(enterprises) > 1:
            self.fields["enterprise"].queryset = enterprises
            self.fields["enterprise"].required = True
        else:
            del self.fields["enterprise"]
        if not signed_in_enterprise:
            del self.fields["report_anonymously"]
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("improper_demand") and not (data.get("improper_demand_text") or "").strip():
            self.add_error(
                "improper_demand_text", _("Please describe the improper demand: what was asked, when and where.")
            )
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "attitude": data["attitude"],
            "efficiency": data["efficiency"],
            "integrity": data["integrity"],
            "comment": data.get("comment", ""),
            "enterprise": data.get("enterprise"),
            "improper_demand": bool(data.get("improper_demand")),
            "improper_demand_text": data.get("improper_demand_text", ""),
            "report_anonymously": bool(data.get("report_anonymously")),
        }


class CardRevokeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
