"""Demo content of the risk register, the screening campaigns and the notices, for `manage.py seed_risk_demo`.

The risk points follow what the source articles name as the parks' key areas (人事管理、招商引资、工程项目、
行政审批、政策兑现、融资发债、资产处置、内部管理) and the five angles of controls (内部控制、预警提醒、
风险化解、惩治措施、教育引导). People named in the notices are invented.

Offsets are in days relative to the day the command runs: a risk "registered" 200 days ago was carried over
from the park's older register, so some reviews and controls are overdue in the demo.
"""

# Which department of each demo park (parks/demo.py) holds each kind of post.
DEPARTMENTS = {
    "yzw": {
        "dispatch": "统一受理中心",
        "discipline": "纪工委",
        "service": "企业服务部",
        "investment": "招商服务部",
        "construction": "规划建设部",
        "finance": "财政金融部",
        "party": "党群工作部",
        "approval": "规划建设部",
    },
    "lx": {
        "dispatch": "统一受理中心",
        "discipline": "纪工委",
        "service": "企业服务局",
        "investment": "招商合作局",
        "construction": "规划建设局",
        "finance": "经济发展局",
        "party": "经济发展局",
        "approval": "统一受理中心",
    },
    "qz": {
        "dispatch": "统一受理中心",
        "discipline": "纪工委监察组",
        "service": "科技经济发展局",
        "investment": "科技经济发展局",
        "construction": "规划建设局",
        "finance": "科技经济发展局",
        "party": "社会事业局",
        "approval": "行政服务中心",
    },
}

# Each risk: department key, post, area, title, description, manifestations, inherent (likelihood, impact),
# residual (likelihood, impact), registered (days ago), responsible person's role,
# controls [(kind, text, owner role, due in days (negative: past), done)],
# reviews [(days ago, findings, residual likelihood, residual impact)].
RISKS = [
    {
        "department": "service",
        "post": "惠企政策兑现审核岗",
        "area": "policy_payouts",
        "title": "惠企奖补资金审核把关不严",
        "description": "对企业申报的奖补、补贴材料审核不严，或对不符合条件的企业违规兑现，存在虚报冒领、套取资金风险。",
        "manifestations": "材料造假未被发现；优亲厚友、选择性兑现；拖延兑现暗示企业“表示”。",
        "inherent": (4, 5),
        "residual": (3, 4),
        "age": 200,
        "owner": "handler",
        "controls": [
            (
                "internal_control",
                "奖补资金实行经办、复核、分管领导审批三级审核，兑现名单公示7天。",
                "handler",
                -150,
                True,
            ),
            ("early_warning", "对同一企业、同一项目重复申报设置系统预警。", "handler", -20, False),
            ("education", "组织经办人员观看虚报冒领典型案例警示教育片。", "discipline", 30, False),
        ],
        "reviews": [(110, "抽查年度兑现项目20个，发现2个项目材料不完整，已退回补正。", 3, 4)],
    },
    {
        "department": "service",
        "post": "人才政策兑现岗",
        "area": "policy_payouts",
        "title": "人才补贴兑现中虚报冒领",
        "description": "人才补贴申领材料核验不严，企业虚构劳动关系、重复申领，经办人员失察或与企业串通。",
        "manifestations": "社保、个税数据未比对；同一人员在多家企业申领；经办人员收受“感谢费”。",
        "inherent": (5, 5),
        "residual": (4, 5),
        "age": 40,
        "owner": "handler",
        "controls": [
            ("mitigation", "人才补贴申领与社保、个税数据自动比对，异常名单人工复核。", "handler", -5, False),
            ("sanction", "对虚报冒领人才补贴的企业追回资金并纳入失信名单。", "discipline", 10, False),
        ],
        "reviews": [],
    },
    {
        "department": "investment",
        "post": "招商项目谈判岗",
        "area": "investment",
        "title": "招商引资中违规承诺优惠政策",
        "description": "在招商谈判中超出政策权限承诺土地、税收返还等优惠，或与企业私下约定利益安排。",
        "manifestations": "“靠招商吃招商”；接受意向企业宴请、礼品；泄露其他企业的报价和条件。",
        "inherent": (4, 5),
        "residual": (2, 5),
        "age": 120,
        "owner": "park_admin",
        "controls": [
            (
                "internal_control",
                "招商优惠条件须经管委会集体研究（“三重一大”），谈判实行双人参与、全程记录。",
                "park_admin",
                -90,
                True,
            ),
            ("sanction", "对违规承诺造成损失的，依规依纪追究责任并通报。", "discipline", 60, False),
        ],
        "reviews": [(30, "核查近半年签约项目6个，优惠条件均经集体决策。", 2, 5)],
    },
    {
        "department": "construction",
        "post": "工程项目管理岗",
        "area": "engineering",
        "title": "工程建设违法分包、资质挂靠监管不力",
        "description": "对施工单位资质挂靠、违法分包、偷工减料等问题发现不及时、处置不严格，存在利益输送风险。",
        "manifestations": "现场检查走过场；收受施工单位好处后降低验收标准；对“智慧工地”预警不处置。",
        "inherent": (4, 4),
        "residual": (3, 3),
        "age": 150,
        "owner": "park_admin",
        "controls": [
            (
                "early_warning",
                "依托“智慧工地”对人员监督、工程进度等预警事项实时推送，48小时内闭环处置。",
                "park_admin",
                -100,
                True,
            ),
            (
                "internal_control",
                "每月联合执法部门和第三方开展资料核查、视频监控与现场检查。",
                "park_admin",
                -10,
                False,
            ),
            ("mitigation", "对发现资质挂靠的项目暂停支付进度款，提请主管部门处罚。", "discipline", 20, False),
        ],
        "reviews": [],
    },
    {
        "department": "construction",
        "post": "工程签证与结算审核岗",
        "area": "engineering",
        "title": "工程变更签证和结算审核不严",
        "description": "对设计变更、现场签证和结算审核把关不严，虚增工程量，造成资金损失。",
        "manifestations": "签证手续后补；结算审减率异常偏低；与施工单位串通。",
        "inherent": (3, 5),
        "residual": (2, 4),
        "age": 400,
        "owner": "park_admin",
        "controls": [
            (
                "internal_control",
                "执行《工程签证管理办法》，变更签证实行事前审批、现场见证、多方会签。",
                "park_admin",
                -370,
                True,
            ),
            ("internal_control", "结算一律委托第三方审计，审计结果在园区内部公示。", "park_admin", -300, True),
        ],
        "reviews": [
            (220, "复核3个项目结算，审计审减率8%至15%，未发现异常。", 2, 4),
            (40, "抽查在建项目签证12份，手续完整。", 2, 4),
        ],
    },
    {
        "department": "approval",
        "post": "行政审批窗口岗",
        "area": "approval",
        "title": "审批服务中吃拿卡要、推诿拖延",
        "description": "利用审批权限故意刁难企业，暗示企业送礼、宴请或指定中介服务。",
        "manifestations": "“办事推绕拖”；该一次告知的不一次告知；体外循环、线下受理。",
        "inherent": (3, 4),
        "residual": (2, 3),
        "age": 100,
        "owner": "dispatcher",
        "controls": [
            ("internal_control", "推行全流程网上办理和“一次告知”，办理时限在线计时。", "dispatcher", -60, True),
            ("early_warning", "向办事企业发放“监督提醒卡”，评价结果每月通报。", "dispatcher", 15, False),
        ],
        "reviews": [],
    },
    {
        "department": "dispatch",
        "post": "诉求受理分办岗",
        "area": "internal",
        "title": "企业诉求选择性受理、压案不办",
        "description": "对涉及本单位或熟人企业的诉求不登记、不分办，或擅自办结，损害企业利益。",
        "manifestations": "电话诉求不录入系统；以“非本部门职责”推诿；虚假回访。",
        "inherent": (3, 3),
        "residual": (2, 2),
        "age": 50,
        "owner": "dispatcher",
        "controls": [
            ("internal_control", "所有渠道诉求统一录入工单系统，系统自动计时、超时督办。", "dispatcher", -30, True),
            ("early_warning", "纪工委每月抽查已办结工单并电话回访。", "discipline", 10, False),
        ],
        "reviews": [],
    },
    {
        "department": "finance",
        "post": "融资对接服务岗",
        "area": "financing",
        "title": "融资对接中违规收取费用或指定担保机构",
        "description": "在帮助企业对接银行、担保机构时收取好处费，或违规为企业融资提供担保、承诺。",
        "manifestations": "指定担保、咨询机构；违规参股借贷；为关系企业违规出具证明。",
        "inherent": (3, 4),
        "residual": (2, 4),
        "age": 60,
        "owner": "park_admin",
        "controls": [
            ("internal_control", "融资对接服务实行清单化，合作机构名单公开、企业自主选择。", "park_admin", 20, False),
        ],
        "reviews": [],
    },
    {
        "department": "finance",
        "post": "财务报销与资金支付岗",
        "area": "internal",
        "title": "资金支付审核不严、违规报销",
        "description": "对不符合规定的费用予以报销，或未按合同约定进度支付工程款、采购款。",
        "manifestations": "票据核报制度执行不到位；化整为零规避审批；公款吃喝。",
        "inherent": (2, 3),
        "residual": (1, 3),
        "age": 380,
        "owner": "park_admin",
        "controls": [
            ("internal_control", "严格执行票据核报制度，大额支付须经集体研究。", "park_admin", -350, True),
        ],
        "reviews": [(15, "年度检查报销凭证300份，未发现违规。", 1, 3)],
        "decision": "controlled",
    },
    {
        "department": "investment",
        "post": "国有资产管理岗",
        "area": "asset_disposal",
        "title": "厂房出租和资产处置定价不公开",
        "description": "对园区标准厂房出租、闲置资产处置未公开竞价，或低价出租、处置给关系企业。",
        "manifestations": "租金减免未经集体决策；长期无偿占用；评估价明显偏低。",
        "inherent": (3, 4),
        "residual": (3, 3),
        "age": 220,
        "owner": "park_admin",
        "controls": [
            ("internal_control", "资产处置和厂房出租一律进入公共资源交易平台公开竞价。", "park_admin", -190, True),
            ("mitigation", "清理长期欠租、无偿占用厂房，限期收回。", "park_admin", -30, False),
        ],
        "reviews": [],
    },
    {
        "department": "service",
        "post": "政府采购经办岗",
        "area": "procurement",
        "title": "采购需求设置倾向性条款、拆分采购",
        "description": "在采购需求中设置排他性条件，或化整为零规避公开招标，向特定供应商倾斜。",
        "manifestations": "询价只找熟悉的供应商；多次小额采购同一供应商；中选公示不及时。",
        "inherent": (4, 4),
        "residual": (2, 4),
        "age": 70,
        "owner": "handler",
        "controls": [
            (
                "internal_control",
                "采购上线电子采购平台，比价采用“双盲”模式，选择前报价均不可见。",
                "handler",
                -40,
                True,
            ),
            ("early_warning", "对同一供应商年度中选次数、拆分采购设置红旗预警。", "handler", 45, False),
        ],
        "reviews": [],
    },
    {
        "department": "party",
        "post": "干部选拔任用岗",
        "area": "personnel",
        "title": "干部选拔和人员招聘中优亲厚友",
        "description": "在干部选拔、编外人员招聘中不按程序办事，为亲友打招呼、开后门。",
        "manifestations": "考察走过场；招聘条件量身定制；未执行回避制度。",
        "inherent": (2, 4),
        "residual": (1, 4),
        "age": 300,
        "owner": "park_admin",
        "controls": [
            ("internal_control", "招聘全程公开，面试考官随机抽取，执行回避制度。", "park_admin", -270, True),
            ("education", "开展廉政谈话和“四种形态”专题学习。", "discipline", -200, True),
        ],
        "reviews": [(120, "复核年度招聘3批次，程序完备。", 1, 4)],
        "decision": "controlled",
    },
    {
        "department": "discipline",
        "post": "监督检查岗",
        "area": "internal",
        "title": "监督执纪中跑风漏气、失职失责",
        "description": "对问题线索处置不及时，或向被调查对象泄露信息、说情打招呼。",
        "manifestations": "线索长期搁置；“灯下黑”；违规过问案件。",
        "inherent": (2, 5),
        "residual": (1, 5),
        "age": 30,
        "owner": "discipline",
        "controls": [
            (
                "internal_control",
                "问题线索实行台账管理、集体排查，处置情况每月向纪工委书记报告。",
                "discipline",
                30,
                False,
            ),
        ],
        "reviews": [],
    },
]

# Park-specific decisions on top of the catalogue: (risk title, transition, note).
DECISIONS = {
    "lx": [("工程变更签证和结算审核不严", "close", "相关项目已竣工结算并审计完毕，风险点不再存在。")],
    "qz": [("企业诉求选择性受理、压案不办", "accept", "风险等级低，已纳入日常监督，暂不另设措施。")],
}

# The 泉州 park grades more strictly: its own matrix version, published after its first four risks (which
# keep the platform default they were scored under).
QZ_MATRIX = {
    "medium_from": 4,
    "high_from": 9,
    "major_from": 16,
    "impact_floors": {"5": "high", "4": "medium"},
    "review_days": {"major": 30, "high": 60, "medium": 120, "low": 365},
    "inherent_major_max_days": 60,
    "note": "泉州开发区从严：9分及以上为高风险，每60天复核。",
}
QZ_MATRIX_AFTER = 4

# Screening campaigns: park, title, instructions, deadline (days ahead), answers by department key:
# ("risks", [risk specs registered by the department's official]) or ("nil", note).
CAMPAIGNS = [
    {
        "park": "yzw",
        "title": "2026年度廉洁风险排查",
        "instructions": (
            "请各部门对照人事管理、招商引资、工程项目、行政审批、政策兑现等重点领域，"
            "逐岗位排查廉洁风险点，评估风险等级，提出防控措施；无新增风险点的请作“零报告”。"
        ),
        "deadline": 12,
        "answers": {
            "service": (
                "risks",
                [
                    {
                        "post": "惠企服务专员岗",
                        "area": "policy_payouts",
                        "title": "惠企政策兑现“最后一公里”慢作为",
                        "description": "对符合条件的企业拖延兑现，变相设置门槛，暗示企业找关系。",
                        "manifestations": "兑现进度不公开；企业多次催办无回应。",
                        "inherent": (3, 3),
                        "residual": (2, 3),
                    }
                ],
            ),
            "dispatch": ("nil", "经对照排查，本部门无新增廉洁风险点。"),
            "discipline": ("nil", "已纳入上年度台账的风险点持续管控，无新增。"),
        },
    },
    {
        "park": "lx",
        "title": "工程建设领域廉洁风险专项排查",
        "instructions": "聚焦工程签证、结算审核、现场监管等环节开展专项排查。",
        "deadline": 20,
        "answers": {"dispatch": ("nil", "本部门不涉及工程建设。")},
    },
]

# Notices: park, title, kind, visibility, issued (days ago), number, body, persons [(name, unit and post)],
# publish (True) or leave as a draft.
NOTICES = [
    {
        "park": "yzw",
        "title": "关于李明辉违规接受管理服务对象宴请问题的通报",
        "kind": "criticism",
        "visibility": "public",
        "issued": 20,
        "number": "2026年第1期",
        "body": (
            "经查，李明辉在担任招商服务部副部长期间，多次接受意向入园企业安排的宴请，违反中央八项规定精神和"
            "《园区干部“十不准”》。经纪工委研究，给予李明辉诫勉谈话处理，并在全园区通报批评。\n"
            "各部门要引以为戒，严格执行亲清政商交往正负清单，坚决纠治“不吃公款吃老板”等问题。"
        ),
        "persons": [("李明辉", "招商服务部原副部长")],
        "publish": True,
    },
    {
        "park": "yzw",
        "title": "2026年第一季度作风纪律检查情况通报",
        "kind": "conduct",
        "visibility": "internal",
        "issued": 45,
        "number": "2026年第2期",
        "body": (
            "纪工委于一季度对各部门考勤、值班和窗口服务开展暗访检查。检查发现，赵一鸣工作时间多次离岗，"
            "孙丽在窗口服务中对企业咨询答复推诿。现对赵一鸣、孙丽提出批评，责令所在部门督促整改。"
        ),
        "persons": [("赵一鸣", "规划建设部科员"), ("孙丽", "财政金融部科员")],
        "publish": True,
    },
    {
        "park": "lx",
        "title": "作风纪律通报（第1期）",
        "kind": "conduct",
        "visibility": "internal",
        "issued": 120,
        "number": "第1期",
        "body": "经查，向华在疫情防控和安全生产检查中责任不落实、推进工作不到位，现予以通报批评。",
        "persons": [("向华", "规划建设局干部")],
        "publish": True,
    },
    {
        "park": "lx",
        "title": "作风纪律通报（第2期）",
        "kind": "conduct",
        "visibility": "internal",
        "issued": 60,
        "number": "第2期",
        "body": "经查，田晓东在联点企业服务中工作不在状态、企业诉求长期未回应，现予以通报批评。",
        "persons": [("田晓东", "企业服务局干部")],
        "publish": True,
    },
    {
        "park": "qz",
        "title": "关于惠企资金审核中失职失责问题的典型案例通报",
        "kind": "case",
        "visibility": "public",
        "issued": 0,
        "number": "",
        "body": "经查，林建国在惠企资金审核中未认真核验企业申报材料，导致3家企业违规获得补贴共计42万元。",
        "persons": [("林建国", "科技经济发展局原科员")],
        "publish": False,
    },
]
