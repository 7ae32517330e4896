"""Demo content of the service rating cards, for `manage.py seed_ratings_demo`: every official of the demo
parks gets a card, and the parks' enterprise users and some anonymous visitors rate them over the last five
months — mostly well, a few times poorly, with comments in the words enterprises use.

Each entry is (official's role, days ago, attitude, efficiency, integrity, comment); `rater` is "enterprise"
(the park's demo enterprise user) or a number, the anonymous visitor's browser. Ratings of one rater and
official are at least 30 days apart, as the rule requires.
"""

ROLES = ("park_admin", "dispatcher", "handler", "discipline")

RATINGS = [
    # (rater, official role, days ago, attitude, efficiency, integrity, comment)
    ("enterprise", "dispatcher", 140, 5, 5, 5, "受理及时，一次告知清楚所需材料。"),
    ("enterprise", "dispatcher", 95, 5, 4, 5, ""),
    ("enterprise", "dispatcher", 40, 4, 4, 5, "周末也有人回复，点赞。"),
    ("enterprise", "handler", 130, 4, 3, 5, "补贴申报材料来回补了两次，希望一次说清。"),
    ("enterprise", "handler", 70, 5, 4, 5, ""),
    ("enterprise", "handler", 12, 5, 5, 5, "上门服务，帮我们把政策讲透了。"),
    ("enterprise", "park_admin", 110, 4, 4, 5, ""),
    ("enterprise", "park_admin", 25, 5, 4, 5, "协调水电报装很给力。"),
    (1, "handler", 100, 2, 2, 4, "窗口说今天办不了，让下周再来，没有说明原因。"),
    (1, "dispatcher", 85, 5, 5, 5, ""),
    (2, "handler", 60, 4, 4, 4, ""),
    (2, "dispatcher", 20, 5, 4, 5, "电话回访很耐心。"),
    (3, "discipline", 45, 5, 5, 5, "纪工委走访企业，听取意见很认真。"),
    (3, "handler", 8, 3, 2, 5, "审批进度查询不方便。"),
    (4, "park_admin", 30, 4, 5, 5, ""),
    (5, "dispatcher", 5, 5, 5, 5, ""),
]
