"""Pages of sealed bidding and opening (procurement.views.bids)."""

from django.urls import path

from procurement.views import bids

urlpatterns = [
    path("tenders/<int:pk>/bid/", bids.bid_form, name="bid-submit"),
    path("tenders/<int:pk>/commitments/", bids.commitments, name="tender-commitments"),
    path("tenders/<int:pk>/open/", bids.opening, name="tender-open"),
    path("tenders/<int:pk>/opening-record/", bids.opening_record, name="opening-record"),
    path("bids/mine/", bids.my_bids, name="my-bids"),
    path("bids/<int:pk>/receipt/", bids.bid_receipt, name="bid-receipt"),
    path("bids/<int:pk>/withdraw/", bids.withdraw, name="bid-withdraw"),
    path("opening-key/", bids.officer_key, name="officer-key"),
]
