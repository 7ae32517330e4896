"""Forms of parks/: enterprise self-registration and the rejection reason. They validate input only; the
views pass the cleaned data to `parks.services`."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from parks.selectors import public_parks
from parks.validators import normalize_credit_code, validate_credit_code


class EnterpriseRegistrationForm(forms.Form):
    """An account for the applicant and the enterprise it registers, in one form."""

    park = forms.ModelChoiceField(label=_("Park"), queryset=public_parks(), empty_label=_("Choose the park"))
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18 characters on the business licence, e.g. 91350100M000100Y43."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "font-monospace"}),
    )
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    display_name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("Email"))
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    enterprise_fields = ("park", "name", "credit_code", "industry", "legal_representative", "address")
    account_fields = ("display_name", "phone", "email", "username", "password1", "password2")

    # Service errors name these fields; the form shows them next to the matching input.
    service_field_map = {"password": "password1"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()

    def add_error(self, field, error):
        if field is not None:
            names = [field]
        elif isinstance(error, dict):
            names = list(error)
        else:
            names = list(getattr(error, "error_dict", {}))
        super().add_error(field, error)
        # Bootstrap shows the message only next to an input marked invalid.
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(username)
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "username": data["username"],
            "password": data["password1"],
            "email": data["email"],
            "phone": data["phone"],
            "display_name": data["display_name"],
            "park": data["park"],
            "name": data["name"],
            "credit_code": data["credit_code"],
            "industry": data["industry"],
            "legal_representative": data["legal_representative"],
            "contact_name": data["display_name"],
            "contact_phone": data["phone"],
            "address": data["address"],
        }

    def add_service_error(self, error):
        """Show a `DomainError` from the service next to the field it names (or above the form)."""
        field = self.service_field_map.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, str(error.message))

    def enterprise_part(self):
        return [self[name] for name in self.enterprise_fields]

    def account_part(self):
        return [self[name] for name in self.account_fields]


class EnterpriseRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The applicant is told this reason."),
    )
