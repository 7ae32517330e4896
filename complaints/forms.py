"""Forms of the 吐槽区. They validate input only; the views pass the cleaned data to
`complaints.services`, whose `DomainError`s come back as errors on the named field (`ServiceErrorMixin`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    PUBLIC_CHANNELS,
    REGISTRATION_CHANNELS,
    Channel,
    Finding,
    FollowUpChannel,
    Priority,
)
from complaints.selectors import categories_for_form
from core.attachments import ALLOWED_DESCRIPTION
from parks.models import Department, Enterprise, StaffProfile

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `core.attachments.attachment_create` in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files.") % {"n": MAX_FILES})
        return files


class BootstrapMixin:
    """Bootstrap classes on every widget, and `DomainError`s from services shown on their field."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def add_service_error(self, error):
        """Show a service's `DomainError` next to its field, or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TicketFormBase(BootstrapMixin, forms.Form):
    category = CategoryChoiceField(label=_("Category"), queryset=None, empty_label=_("Choose a category"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Description"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where and when, and what you expect from the park."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    consent_to_publish = forms.BooleanField(
        label=_("The park may publish the question and its answer, without names, in an answer list"),
        required=False,
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to %(n)s files. %(allowed)s Photos lose their location and camera data.")
        % {"n": MAX_FILES, "allowed": ALLOWED_DESCRIPTION},
    )

    def __init__(self, *args, park, public=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.park = park
        self.fields["category"].queryset = categories_for_form(park, public=public)


class PublicTicketForm(TicketFormBase):
    """The public form (web, app, QR): signed-in enterprise users file for their enterprise, and may ask
    that the handling department does not see who they are (保密); anyone may report anonymously."""

    channel = forms.ChoiceField(
        choices=[(c.value, c.label) for c in Channel if c in PUBLIC_CHANNELS and c != Channel.OPEN311],
        initial=Channel.WEB,
        widget=forms.HiddenInput,
    )
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none(), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    hide_identity = forms.BooleanField(
        label=_("Keep my identity from the handling department (保密)"),
        required=False,
        help_text=_("Only the park's intake desk and the discipline office will see who filed it."),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        help_text=_("Nothing about you is stored; you follow the report with a receipt code shown once."),
    )

    def __init__(self, *args, user, enterprises, **kwargs):
        super().__init__(*args, public=True, **kwargs)
        self.signed_in = bool(getattr(user, "is_authenticated", False))
        if enterprises:
            self.fields["enterprise"].queryset = enterprises
            self.fields["enterprise"].required = True
            self.fields["enterprise"].empty_label = None
        else:
            del self.fields["enterprise"]
            del self.fields["hide_identity"]
        if not self.signed_in:
            # Visitors who are not signed in always report anonymously.
            for name in ("contact_name", "contact_phone", "anonymous"):
                del self.fields[name]
        self._style()

    @property
    def is_anonymous(self):
        return not self.signed_in or bool(self.cleaned_data.get("anonymous"))

    def service_kwargs(self):
        data = self.cleaned_data
        anonymous = self.is_anonymous
        return {
            "park": self.park,
            "category": data["category"],
            "subject": data["subject"],
            "body": data["body"],
            "channel": data["channel"],
            "place": data.get("place", ""),
            "consent_to_publish": data.get("consent_to_publish", False),
            "files": data.get("files") or (),
            "is_anonymous": anonymous,
            "enterprise": None if anonymous else data.get("enterprise"),
            "contact_name": "" if anonymous else data.get("contact_name", ""),
            "contact_phone": "" if anonymous else data.get("contact_phone", ""),
            "hide_identity": False if anonymous else data.get("hide_identity", False),
        }


class RegistrationForm(TicketFormBase):
    """The intake desk registers a demand received by phone, on the 12345 line, in person, by mail or e-mail,
    or on a liaison visit (every active category, the non-public ones too)."""

    channel = forms.ChoiceField(
        label=_("Received by"), choices=[(c.value, c.label) for c in Channel if c in REGISTRATION_CHANNELS]
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.none(), required=False, empty_label=_("None / a person")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    hide_identity = forms.BooleanField(
        label=_("Keep the filer's identity from the handling department (保密)"), required=False
    )
    accused_official = forms.ModelChoiceField(
        label=_("Official concerned"),
        queryset=None,
        required=False,
        help_text=_("For reports about an official's conduct: the ticket never goes to their department."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, public=False, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            park=self.park, status=Enterprise.Status.VERIFIED
        ).order_by("name")
        staff = StaffProfile.objects.filter(parks=self.park).select_related("user").order_by("user__username")
        from django.contrib.auth import get_user_model

        self.fields["accused_official"].queryset = (
            get_user_model().objects.filter(pk__in=staff.values("user_id")).order_by("display_name", "username")
        )
        self.fields["accused_official"].label_from_instance = lambda u: u.get_full_name()
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "park": self.park,
            "category": data["category"],
            "subject": data["subject"],
            "body": data["body"],
            "channel": data["channel"],
            "place": data.get("place", ""),
            "consent_to_publish": data.get("consent_to_publish", False),
            "files": data.get("files") or (),
            "enterprise": data.get("enterprise"),
            "contact_name": data.get("contact_name", ""),
            "contact_phone": data.get("contact_phone", ""),
            "priority": data["priority"],
            "hide_identity": data.get("hide_identity", False),
            "accused_official": data.get("accused_official"),
        }


# --- actions on a ticket --------------------------------------------------------------------------------


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActionForm(BootstrapMixin, forms.Form):
    """A form for one action on one ticket; department choices are narrowed to the ticket's park."""

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Department:
                if ticket is not None:
                    field.queryset = _departments().filter(park_id=ticket.park_id).order_by("kind", "name")
                field.label_from_instance = _department_label
        self._style()


def _department_label(department):
    return department.name


def _departments():
    return Department.objects.filter(is_active=True)


class EmptyForm(ActionForm):
    pass


class AcceptForm(ActionForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)
    apply_suggestion = forms.BooleanField(
        label=_("Dispatch to the suggested department at once"), required=False, initial=True
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Original ticket number"), max_length=40, help_text=_("The earlier ticket this one duplicates.")
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class DispatchForm(ActionForm):
    department = DepartmentChoiceField(label=_("Lead department"), queryset=_departments())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments (联合处置)"), queryset=_departments(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.ticket is not None and self.ticket.suggested_department_id and not self.is_bound:
            self.initial.setdefault("department", self.ticket.suggested_department_id)


class ReturnForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it is not your department's"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    suggested_department = DepartmentChoiceField(
        label=_("Suggested department"), queryset=_departments(), required=False
    )


class ReturnDecideForm(ActionForm):
    department = DepartmentChoiceField(
        label=_("Re-dispatch to"), queryset=_departments(), required=False, help_text=_("Leave empty to refuse.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtensionRequestForm(ActionForm):
    requested_due = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ExtensionDecideForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReplyForm(ActionForm):
    reply = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
    rectification_measures = forms.CharField(
        label=_("Rectification measures (整改措施)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )
    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=Finding.choices,
        required=False,
        help_text=_("A substantiated finding brings forward the review of the department's integrity risks."),
    )


SATISFACTION_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class ConfirmForm(ActionForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer? (5 = very)"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    consent_to_publish = forms.BooleanField(
        label=_("The park may publish the question and its answer, without names"), required=False
    )


class FollowupForm(ActionForm):
    channel = forms.ChoiceField(
        label=_("Follow-up by"),
        choices=[(c.value, c.label) for c in FollowUpChannel if c != FollowUpChannel.ONLINE],
        initial=FollowUpChannel.PHONE,
    )
    reachable = forms.BooleanField(label=_("The filer was reached"), required=False, initial=True)
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[("", "—"), *SATISFACTION_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SuperviseForm(ActionForm):
    note = forms.CharField(label=_("What is expected"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MessageForm(ActionForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    internal = forms.BooleanField(label=_("Internal note (not shown to the filer)"), required=False)


# --- receipt page, disclosure ---------------------------------------------------------------------------


class ReceiptForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "class": "font-monospace", "spellcheck": "false"}
        ),
        help_text=_("The 16 digits you were shown when you filed the report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReceiptMessageForm(BootstrapMixin, forms.Form):
    body = forms.CharField(label=_("Your answer or message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PublishForm(BootstrapMixin, forms.Form):
    tickets = forms.ModelMultipleChoiceField(
        label=_("Answered demands"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: 第N批企业诉求解答清单及整改措施.")
    )
    introduction = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = queryset
        self.fields["tickets"].label_from_instance = lambda t: f"{t.number} {t.subject}"
        self._style()
