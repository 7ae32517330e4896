"""Demo content of the 三重一大 register, for `manage.py seed_decisions_demo`: in each demo park a party working
committee and a director's office meeting with their rosters, four meetings over the last year with items of
all four kinds, and large fund payments — including one case of each flag (a meeting short of two thirds, an
item adopted by only half of the members, a 临时动议, a payment with no decision, a payment decided only
afterwards). People and amounts are invented; the kinds of item follow what the source articles name
(融资发债、工程项目、资金拨付、招商引资、人事).

Offsets are days before the day the command runs.
"""

# Rosters: (name, post, demo account role or None). The first body of each park is its 党工委会议.
ROSTERS = {
    "party": [
        ("王建国", "党工委书记", None),
        ("park_admin", "管委会主任、党工委副书记", "park_admin"),
        ("刘振华", "党工委副书记", None),
        ("discipline", "纪工委书记", "discipline"),
        ("张丽", "党工委委员、管委会副主任", None),
        ("陈伟", "党工委委员、管委会副主任", None),
        ("赵敏", "党工委委员、组织部长", None),
    ],
    "office": [
        ("park_admin", "管委会主任", "park_admin"),
        ("孙涛", "管委会副主任", None),
        ("何静", "管委会副主任", None),
        ("郑强", "财政金融局局长", None),
        ("许楠", "规划建设局局长", None),
    ],
}
BODIES = [
    ("party", "党工委会议", "party_committee", "研究决定园区“三重一大”事项的最高议事机构。"),
    ("office", "管委会主任办公会", "director_office", "研究园区日常重要行政事务和一定额度以下的资金安排。"),
]

# Meetings per park: body key, number, type, days ago, present (how many of the roster, in order),
# notified days before, items [(kind, title, amount, notified, outcome, in favour, against (name, dissent),
# recused (roster index, reason))].
MEETINGS = {
    "yzw": [
        (
            "party",
            "2026年第1次",
            "regular",
            320,
            7,
            3,
            [
                ("major_decision", "园区2026年度“清廉园区”建设工作要点", None, True, "adopted", 7, None, None),
                ("appointment", "任命招商服务部部长", None, True, "adopted", 6, ("张丽", "建议再听取群众意见"), None),
            ],
        ),
        (
            "office",
            "2026年第3次",
            "regular",
            250,
            5,
            2,
            [
                (
                    "large_funds",
                    "南繁种业企业研发奖补资金拨付",
                    "1800000",
                    True,
                    "adopted",
                    4,
                    None,
                    (3, "其亲属任职于申报企业之一"),
                )
            ],
        ),
        (
            "party",
            "2026年第4次",
            "special",
            150,
            6,
            5,
            [
                ("major_project", "深海科技孵化中心二期建设项目", "28000000", True, "adopted", 3, None, None),
            ],
        ),
        (
            "office",
            "2026年第7次",
            "regular",
            40,
            5,
            3,
            [("large_funds", "园区道路维修改造资金安排", "650000", True, "adopted", 5, None, None)],
        ),
    ],
    "lx": [
        (
            "party",
            "2026年第1次",
            "regular",
            300,
            7,
            4,
            [
                (
                    "major_decision",
                    "高新区融资平台公司发债方案",
                    "50000000",
                    True,
                    "adopted",
                    6,
                    ("陈伟", "偿债来源测算偏乐观"),
                    None,
                )
            ],
        ),
        (
            "party",
            "2026年第3次",
            "extraordinary",
            200,
            4,
            1,
            [("major_project", "标准厂房三期招商代建协议", "12000000", True, "adopted", 4, None, None)],
        ),
        (
            "office",
            "2026年第5次",
            "regular",
            120,
            5,
            3,
            [
                ("large_funds", "园区污水处理设施运维费用", "720000", True, "adopted", 5, None, None),
                ("appointment", "调整企业服务局负责人", None, True, "deferred", 0, None, None),
            ],
        ),
        (
            "office",
            "2026年第8次",
            "regular",
            30,
            5,
            2,
            [("large_funds", "园区亮化工程尾款", "560000", True, "adopted", 4, None, None)],
        ),
    ],
    "qz": [
        (
            "party",
            "2026年第2次",
            "regular",
            280,
            7,
            3,
            [
                ("major_decision", "开发区优化营商环境十条措施", None, True, "adopted", 7, None, None),
                ("large_funds", "追加产业引导基金出资", "3000000", False, "adopted", 6, None, None),
            ],
        ),
        (
            "office",
            "2026年第4次",
            "regular",
            180,
            5,
            2,
            [("major_project", "智慧工地监管平台建设", "2400000", True, "adopted", 5, None, None)],
        ),
        (
            "party",
            "2026年第6次",
            "regular",
            90,
            7,
            4,
            [
                (
                    "appointment",
                    "推荐开发区科技经济发展局副局长人选",
                    None,
                    True,
                    "adopted",
                    6,
                    None,
                    (1, "推荐人选系其近亲属"),
                )
            ],
        ),
        (
            "office",
            "2026年第9次",
            "regular",
            20,
            5,
            2,
            [
                (
                    "large_funds",
                    "企业服务中心办公设备购置",
                    "580000",
                    True,
                    "rejected",
                    1,
                    ("孙涛", "已有设备可继续使用"),
                    None,
                )
            ],
        ),
    ],
}

# Payments: reference, payee, purpose, amount, days ago, decision title (None: no decision).
PAYMENTS = {
    "yzw": [
        (
            "YZW-ZF-2026-018",
            "三亚湾谷生物育种有限公司",
            "研发奖补资金（第一批）",
            "1200000",
            240,
            "南繁种业企业研发奖补资金拨付",
        ),
        (
            "YZW-ZF-2026-031",
            "海南某路桥工程有限公司",
            "园区道路维修改造预付款",
            "650000",
            35,
            "园区道路维修改造资金安排",
        ),
        ("YZW-ZF-2026-044", "海南某装饰工程有限公司", "综合楼会议室改造", "860000", 15, None),
    ],
    "lx": [
        ("LX-ZF-2026-009", "湖南某环保科技有限公司", "污水处理设施运维费", "720000", 110, "园区污水处理设施运维费用"),
        ("LX-ZF-2026-021", "湖南某亮化工程有限公司", "园区亮化工程尾款", "560000", 45, "园区亮化工程尾款"),
    ],
    "qz": [
        ("QZ-ZF-2026-012", "泉州某信息技术有限公司", "智慧工地监管平台首付款", "1200000", 170, "智慧工地监管平台建设"),
        ("QZ-ZF-2026-027", "泉州某办公家具有限公司", "企业服务中心办公设备", "580000", 10, "企业服务中心办公设备购置"),
    ],
}

# Thresholds a park set for itself (yuan); parks not listed use the default (500 000).
THRESHOLDS = {"qz": [("", "500000"), ("major_project", "2000000")]}
