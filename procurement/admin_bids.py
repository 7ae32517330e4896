"""Admin of sealed bids, bid documents, officer opening keys and tender key shares: read-only and park-scoped.

No ciphertext, wrapped key, IV, encrypted private key, salt or wrapped share is ever shown (the fields are left
out explicitly, so a later `fields = "__all__"` cannot bring them back), and a bid's price and opening note
appear only once it has been opened — before that they are empty anyway, because the server never had them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ParkScopedAdminMixin, ReadOnlyAdminMixin
from core.scoping import ALL, park_ids_for
from procurement.models import Bid, BidDocument, OfficerKey, TenderKeyShare


class SealedReadOnlyAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Bid)
class BidAdmin(SealedReadOnlyAdmin):
    park_field = "tender__park"
    list_display = ["receipt", "tender", "supplier", "status", "submitted_at", "alias", "price", "commitment_ok"]
    list_filter = ["status", "commitment_ok", "is_valid"]
    search_fields = ["receipt", "commitment", "tender__number"]
    list_select_related = ["tender", "supplier", "supplier__enterprise"]
    fields = [
        "tender",
        "supplier",
        "status",
        "receipt",
        "commitment",
        "ciphertext_sha256",
        "submitted_by",
        "submitted_at",
        "replaced_by",
        "withdrawn_at",
        "opened_at",
        "alias",
        "price",
        "commitment_ok",
        "is_valid",
        "invalid_reason",
        "opening_note",
        "price_score",
        "technical_score",
        "total_score",
        "rank",
    ]
    exclude = ["ciphertext", "wrapped_key", "iv"]
    readonly_fields = fields


@admin.register(BidDocument)
class BidDocumentAdmin(SealedReadOnlyAdmin):
    park_field = "bid__tender__park"
    list_display = ["name", "bid", "size", "sha256"]
    search_fields = ["sha256", "name"]
    list_select_related = ["bid", "bid__tender"]
    fields = ["bid", "name", "size", "sha256", "attachment"]
    readonly_fields = fields


class OfficerScopedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Keys belong to officers, not parks: show those of officers assigned to the user's parks."""

    officer_field = "user"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = park_ids_for(request.user)
        if ids is ALL:
            return qs
        return qs.filter(**{f"{self.officer_field}__staff_profile__parks__in": ids}).distinct()


@admin.register(OfficerKey)
class OfficerKeyAdmin(OfficerScopedAdmin):
    list_display = ["user", "fingerprint", "created_at", "rewrapped_at"]
    search_fields = ["user__username", "fingerprint"]
    fields = ["user", "fingerprint", "public_key_pem", "kdf_display", "created_at", "rewrapped_at"]
    exclude = ["encrypted_private_key", "kdf_salt"]
    readonly_fields = fields

    @admin.display(description=_("key derivation"))
    def kdf_display(self, key):
        params = key.kdf_params or {}
        return ", ".join(f"{name}={params[name]}" for name in ("kdf", "n", "r", "p") if name in params)


@admin.register(TenderKeyShare)
class TenderKeyShareAdmin(OfficerScopedAdmin):
    officer_field = "officer_key__user"
    list_display = ["tender", "officer_key", "created_at"]
    list_select_related = ["tender", "officer_key", "officer_key__user"]
    fields = ["tender", "officer_key", "created_at"]
    exclude = ["wrapped_share"]
    readonly_fields = fields
