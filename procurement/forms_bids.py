"""Forms of the sealed-bid stage. The bid form carries only sealed values: the price, note and documents are
typed into inputs WITHOUT a name attribute (templates/procurement/bids/bid_form.html), which the browser never
submits; static/procurement/js/seal.js encrypts them into the fields below."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procurement import sealing


class SealedBidForm(forms.Form):
    supplier = forms.ModelChoiceField(queryset=None, label=_("Bid as"), empty_label=None)
    wrapped_key = forms.CharField(widget=forms.HiddenInput, max_length=1024)
    iv = forms.CharField(widget=forms.HiddenInput, max_length=64)
    commitment = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The ciphertext travels as a file part (raw bytes): a hidden text field could not carry 20 MB past
    # DATA_UPLOAD_MAX_MEMORY_SIZE. seal.js puts it into this input through a DataTransfer.
    ciphertext = forms.FileField(widget=forms.FileInput(attrs={"hidden": True}), required=True)

    def __init__(self, *args, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers
        self.fields["supplier"].widget.attrs["class"] = "form-select"
        only = list(suppliers[:2])
        if len(only) == 1:
            self.fields["supplier"].widget = forms.HiddenInput()
            self.fields["supplier"].initial = only[0].pk

    def clean_ciphertext(self):
        upload = self.cleaned_data["ciphertext"]
        if upload.size > sealing.MAX_CIPHERTEXT_BYTES:
            raise forms.ValidationError(
                _("The sealed bid is larger than %(mb)d MB.") % {"mb": sealing.MAX_PLAINTEXT_BYTES // (1024 * 1024)}
            )
        return upload.read()


class OpeningForm(forms.Form):
    """The opening page: the co-signing discipline officer picks their name and types their password."""

    officer = forms.ModelChoiceField(queryset=None, label=_("Co-signing discipline officer"), empty_label=None)
    officer_password = forms.CharField(
        label=_("Discipline officer's password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "class": "form-control"}),
        help_text=_("The discipline officer types their own password; it unlocks their share of the opening key."),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].widget.attrs["class"] = "form-select"


class OfficerKeyForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )


class OfficerKeyRecoverForm(forms.Form):
    previous_password = forms.CharField(
        label=_("Your previous password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )


class OfficerKeyReplaceForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my shares of tenders already published are lost."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
