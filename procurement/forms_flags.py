"""Forms of the red-flag pages: confirming (with an optional note, and the risk's department when the tender
names none) and dismissing (with the required reason). The services decide permission and the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Department


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class FlagConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Added to the risk in the integrity register."),
    )
    department = forms.ModelChoiceField(
        label=_("Department of the risk"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("The tender names no buying department: choose the department the risk belongs to."),
    )

    def __init__(self, *args, park=None, needs_department=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_department and park is not None:
            self.fields["department"].queryset = Department.objects.filter(park=park, is_active=True).order_by("name")
            self.fields["department"].required = True
        else:
            del self.fields["department"]
        _style(self)


class FlagDismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this flag needs no action (kept in the trail)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
