"""Pages of the service rating cards (监督提醒卡), included by `integrity.urls` into the ``integrity`` namespace.
``rate/<token>/`` is the address a card's QR code carries."""

from django.urls import path

from integrity.views import ratings

urlpatterns = [
    path("rate/<str:token>/", ratings.rate, name="rate"),
    path("cards/mine/", ratings.my_card, name="my-card"),
    path("cards/mine/issue/", ratings.my_card_issue, name="my-card-issue"),
    path("cards/issue-missing/", ratings.cards_issue_missing, name="cards-issue-missing"),
    path("cards/<int:pk>/card.pdf", ratings.card_download, {"kind": "pdf"}, name="card-pdf"),
    path("cards/<int:pk>/card.png", ratings.card_download, {"kind": "png"}, name="card-png"),
    path("cards/<int:pk>/reissue/", ratings.card_reissue, name="card-reissue"),
    path("cards/<int:pk>/revoke/", ratings.card_revoke, name="card-revoke"),
    path("ratings/", ratings.rating_overview, name="rating-overview"),
    path("ratings/all/", ratings.rating_list, name="rating-list"),
]
