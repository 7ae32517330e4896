"""Sign-in, password change and the profile page with its personal API tokens."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ApiTokenForm, LoginForm, PortalPasswordChangeForm
from accounts.models import ApiToken
from accounts.selectors import affiliations_of, api_tokens_of
from accounts.services import api_token_create, api_token_revoke, user_password_change
from core.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The only moment the server holds a discipline officer's password: set up (or check) their bid-opening
        # key, which is stored encrypted under it (docs/sealed-bids.md). Never blocks the sign-in.
        from procurement.views.bids import officer_key_after_login

        officer_key_after_login(self.request, form.get_user(), form.cleaned_data.get("password"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        try:
            user_password_change(
                user=self.request.user, new_password=form.cleaned_data["new_password1"], actor=self.request.user
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        # A discipline officer's bid-opening key is encrypted under the password: re-encrypt it (same key pair).
        from procurement.views.bids import officer_key_after_password_change

        officer_key_after_password_change(
            self.request, self.request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _profile_page(request, *, token_form=None, new_token=None, new_key=None, status=200):
    response = render(
        request,
        "accounts/profile.html",
        {
            "affiliations": affiliations_of(request.user),
            "tokens": api_tokens_of(request.user),
            "token_form": token_form or ApiTokenForm(),
            "new_token": new_token,
            "new_key": new_key,
        },
        status=status,
    )
    # The page may carry a freshly made token: no cache may keep a copy of it.
    add_never_cache_headers(response)
    return response


@login_required
def profile(request):
    """The signed-in user: roles, parks, department or enterprise, and their API tokens."""
    return _profile_page(request)


@login_required
@require_POST
def token_create(request):
    """Create a token and show its key on this response only; it is not stored and cannot be shown again."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form, status=400)
    try:
        token, raw_key = api_token_create(user=request.user, name=form.cleaned_data["name"], actor=request.user)
    except DomainError as exc:
        form.add_error("name" if exc.field == "name" else None, str(exc))
        return _profile_page(request, token_form=form, status=exc.status_code)
    return _profile_page(request, new_token=token, new_key=raw_key)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        api_token_revoke(token=token, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")
