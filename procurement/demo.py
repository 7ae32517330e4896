"""Demo content for `manage.py seed_procurement_demo`: the e-procurement platform (电子采购平台，比价采用“双盲”
模式) of the demo parks, as a park in use for half a year.

Per park: a procurement officer (``procurement_<park>``), two external experts (``expert_<park>_1``/``_2``)
and a few more experts without a password (nobody signs in as them; they fill the evaluator pool so that a
committee draw is a real draw), suppliers that registered themselves (approved, one pending), and tenders
whose stories stop in every status: draft, single-source justification, open for bids (with sealed bids
nobody can read), closed awaiting the discipline officer's co-signature, opened, under evaluation,
evaluated, awarded, announced (with an objection answered), contracted (with the integrity contract and a
supplementary contract), failed (a single bid) and cancelled. Some of them raise red flags on purpose: prices
within 1 % of each other, a winning price at 99 % of the budget, two bidders sharing a telephone number, three
purchases of office furniture from one supplier in 90 days (a split purchase), and a single bid.

Enterprise names, people, numbers and credit codes are invented; the codes are valid (computed check
character, serials from 101 so they never meet the parks' demo enterprises).

Timing: a tender's story starts ``published`` days before the day the command runs (or earlier: when a step of
the story would otherwise lie in the future — weekends and holidays move the working days each step counts —
the command starts it a day earlier until it fits, so the last step is as recent as it can be). Every later
moment is derived from the method's rules and the work calendar, so deadlines lie in the past exactly where
the story needs them and the time limits of the later steps are kept.
"""

from decimal import Decimal

# People -------------------------------------------------------------------------------------------------------

# park code -> (display name, position, department name) of the procurement officer (采购专员).
OFFICERS = {
    "yzw": ("何采薇", "政府采购专员", "财政金融部"),
    "lx": ("龙振华", "政府采购专员", "经济发展局"),
    "qz": ("林佳琪", "政府采购专员", "科技经济发展局"),
}

# park code -> [(display name, specialty, employer)] of the experts in the park's evaluator pool; the first two
# (``expert_<park>_1``, ``expert_<park>_2``) can sign in with the demo password, the others cannot.
EXPERTS = {
    "yzw": [
        ("符晓东", "信息化与安防工程", "海南大学信息与通信工程学院"),
        ("陈雅琴", "工程造价", "海南华信工程造价咨询有限公司"),
        ("邢国栋", "园林与市政工程", "三亚市市政设计院"),
        ("王立新", "财务与审计", "海南正衡会计师事务所"),
        ("李明珠", "物业管理", "海南省物业管理协会"),
    ],
    "lx": [
        ("向国平", "工程造价", "湘西州工程造价管理站"),
        ("张丽华", "办公家具与设备", "吉首大学后勤管理处"),
        ("瞿建军", "机电设备", "湘西职业技术学院"),
        ("杨秀英", "财务与审计", "湘西众诚会计师事务所"),
    ],
    "qz": [
        ("陈建华", "软件与信息系统", "华侨大学计算机学院"),
        ("黄淑芬", "财务与审计", "泉州中诚会计师事务所"),
        ("王志勇", "电气与照明工程", "泉州市建筑设计院"),
        ("刘晓燕", "工程造价", "福建华荣工程咨询有限公司"),
    ],
}

# Officials of the park who sit in the evaluator pool besides the experts (roles; never the procurement officer,
# who runs the tenders, nor the discipline officer, who supervises them).
POOL_OFFICIAL_ROLES = ("handler", "dispatcher")

# Suppliers ----------------------------------------------------------------------------------------------------

# park code -> suppliers, keyed for the tender stories. "member": the park's demo enterprise (``enterprise_<park>``
# registers it as a supplier); the others register themselves as enterprises (user ``supplier_<park>_<n>``) and
# then as suppliers. status: "approved" or "pending" (left for the procurement officer to decide).
SUPPLIERS = {
    "yzw": [
        {
            "key": "member",
            "scope": "南繁种业技术服务、种质资源检测、农业科技咨询",
            "categories": "services",
            "status": "approved",
        },
        {
            "key": "office",
            "name": "海南椰城办公设备有限公司",
            "industry": "办公设备",
            "legal_representative": "吴振华",
            "contact": "吴振华",
            "phone": "0898-88661001",
            "address": "三亚市崖州区崖州湾科技城创意产业园2号楼301",
            "scope": "办公设备、计算机及耗材、办公家具销售与维保",
            "categories": "goods",
            "status": "approved",
        },
        {
            "key": "it",
            "name": "三亚鹿城信息技术有限公司",
            "industry": "信息技术服务",
            "legal_representative": "孙立军",
            "contact": "孙立军",
            "phone": "0898-88662002",
            "address": "三亚市吉阳区迎宾路368号鹿城大厦8层",
            "scope": "信息化系统集成、软件开发与运维、安防监控工程",
            "categories": "goods,services",
            "status": "approved",
        },
        {
            # Shares the telephone number of 三亚鹿城信息技术 (related bidders: a blocking red flag).
            "key": "digital",
            "name": "海南凤凰数码科技有限公司",
            "industry": "数码设备",
            "legal_representative": "赵海燕",
            "contact": "赵海燕",
            "phone": "0898-88662002",
            "address": "三亚市天涯区凤凰路89号",
            "scope": "安防监控设备、数码产品、弱电工程",
            "categories": "goods,works",
            "status": "approved",
        },
        {
            "key": "av",
            "name": "海南声光视听工程有限公司",
            "industry": "视听工程",
            "legal_representative": "林国华",
            "contact": "林国华",
            "phone": "0898-88667007",
            "address": "三亚市吉阳区新风街102号",
            "scope": "会议视听系统、多媒体显示、舞台灯光音响",
            "categories": "goods,works",
            "status": "approved",
        },
        {
            "key": "builder",
            "name": "海南琼崖建设工程有限公司",
            "industry": "建筑装饰",
            "legal_representative": "黎建国",
            "contact": "黎建国",
            "phone": "0898-88663003",
            "address": "三亚市崖州区南滨农场路16号",
            "scope": "建筑装饰装修工程、市政道路工程、机电安装",
            "categories": "works",
            "status": "approved",
        },
        {
            "key": "property",
            "name": "三亚南山物业服务有限公司",
            "industry": "物业服务",
            "legal_representative": "蒙晓丽",
            "contact": "蒙晓丽",
            "phone": "0898-88664004",
            "address": "三亚市崖州区南山大道1号",
            "scope": "物业管理、保洁、绿化养护、安保服务",
            "categories": "services",
            "status": "approved",
        },
        {
            "key": "garden",
            "name": "海南天涯园林绿化有限公司",
            "industry": "园林绿化",
            "legal_representative": "羊志明",
            "contact": "羊志明",
            "phone": "0898-88665005",
            "address": "三亚市天涯区金鸡岭路55号",
            "scope": "园林绿化工程、绿化养护、苗木销售",
            "categories": "services,works",
            "status": "approved",
        },
        {
            "key": "catering",
            "name": "三亚海棠湾餐饮管理有限公司",
            "industry": "餐饮服务",
            "legal_representative": "陈美玲",
            "contact": "陈美玲",
            "phone": "0898-88666006",
            "address": "三亚市海棠区海棠北路20号",
            "scope": "食堂托管、食材配送、团体膳食",
            "categories": "goods,services",
            "status": "pending",
        },
    ],
    "lx": [
        {
            "key": "member",
            "scope": "新型建材、复合材料及制品",
            "categories": "goods",
            "status": "approved",
        },
        {
            "key": "furniture",
            "name": "湘西武陵办公家具有限公司",
            "industry": "办公家具",
            "legal_representative": "田爱民",
            "contact": "田爱民",
            "phone": "0743-4221001",
            "address": "泸溪县白沙镇沅江路18号",
            "scope": "办公家具、档案柜、会议桌椅生产与销售",
            "categories": "goods",
            "status": "approved",
        },
        {
            "key": "office",
            "name": "泸溪沅陵商贸有限公司",
            "industry": "商贸",
            "legal_representative": "张卫东",
            "contact": "张卫东",
            "phone": "0743-4222002",
            "address": "泸溪县武溪镇建设路66号",
            "scope": "办公家具、办公用品、电器销售",
            "categories": "goods",
            "status": "approved",
        },
        {
            "key": "builder",
            "name": "湘西峒河建设工程有限公司",
            "industry": "建筑工程",
            "legal_representative": "彭正清",
            "contact": "彭正清",
            "phone": "0743-4223003",
            "address": "吉首市峒河路120号",
            "scope": "房屋建筑、市政工程、装饰装修",
            "categories": "works",
            "status": "approved",
        },
        {
            "key": "hardware",
            "name": "泸溪县辰河五金家具厂",
            "industry": "家具制造",
            "legal_representative": "滕大勇",
            "contact": "滕大勇",
            "phone": "0743-4224004",
            "address": "泸溪县浦市镇古镇路9号",
            "scope": "钢木家具、五金制品",
            "categories": "goods",
            "status": "pending",
        },
    ],
    "qz": [
        {
            "key": "member",
            "scope": "工装鞋、劳保用品",
            "categories": "goods",
            "status": "approved",
        },
        {
            "key": "software",
            "name": "泉州刺桐软件科技有限公司",
            "industry": "软件和信息技术服务",
            "legal_representative": "蔡志伟",
            "contact": "蔡志伟",
            "phone": "0595-22881001",
            "address": "泉州经济技术开发区清濛科技园A区5号楼",
            "scope": "软件开发、信息系统集成、数据服务",
            "categories": "services",
            "status": "approved",
        },
        {
            "key": "network",
            "name": "福建闽南数据网络有限公司",
            "industry": "信息技术服务",
            "legal_representative": "许文斌",
            "contact": "许文斌",
            "phone": "0595-22882002",
            "address": "泉州市丰泽区田安路288号",
            "scope": "网络工程、数据中心运维、信息安全服务",
            "categories": "services,works",
            "status": "approved",
        },
        {
            "key": "lighting",
            "name": "泉州光明照明工程有限公司",
            "industry": "照明工程",
            "legal_representative": "郭晓东",
            "contact": "郭晓东",
            "phone": "0595-22883003",
            "address": "泉州经济技术开发区德泰路16号",
            "scope": "城市照明工程、节能改造、灯具销售",
            "categories": "goods,works",
            "status": "approved",
        },
        {
            "key": "cloud",
            "name": "泉州海丝云计算有限公司",
            "industry": "云计算",
            "legal_representative": "陈秋萍",
            "contact": "陈秋萍",
            "phone": "0595-22884004",
            "address": "泉州市鲤城区江滨南路77号",
            "scope": "云计算服务、软件开发",
            "categories": "services",
            "status": "approved",
        },
    ],
}

# Qualifications every new supplier registers with: (kind, issuer, years valid (None: does not expire)).
QUALIFICATIONS = [
    ("business_licence", "市场监督管理局", None),
    ("tax", "国家税务总局税务局", 1),
]
# Extra qualifications by supplier key: (kind, name, issuer, years valid).
EXTRA_QUALIFICATIONS = {
    "builder": [
        ("construction", "建筑装修装饰工程专业承包二级", "住房和城乡建设厅", 3),
        ("safety", "", "应急管理厅", 2),
    ],
    "it": [("quality", "ISO 9001 质量管理体系认证", "中国质量认证中心", 2)],
    "software": [("quality", "ISO 9001 质量管理体系认证", "中国质量认证中心", 2)],
    "lighting": [("construction", "城市及道路照明工程专业承包三级", "住房和城乡建设厅", 3)],
}

# Tenders ------------------------------------------------------------------------------------------------------

# Each tender (looked up by park and title, so a second run skips it): its park, title, method, category,
# needs, qualification requirements, budget, price weight, where its story stops ("stage": one of the tender
# statuses; a "failed" story fails at its opening for want of bids, then is re-tendered as a draft), when it
# was published (at least that many days ago; ``None`` for a draft), the bids [(supplier key, price, note)] and extras:
#   technical: {supplier key: technical mark 0-100} around which every evaluator marks (scored methods);
#   objection: (supplier key, text, upheld, answer);
#   contract: {"amendment": (value change, reason)} (contracted stories);
#   clarification: (question, answer);  cancel: reason;  justification and proposed: single source;
#   invited: supplier keys (invited tender).
TENDERS = [
    # --- 三亚崖州湾科技城: one story for every status -------------------------------------------------------
    {
        "park": "yzw",
        "title": "科技城综合服务中心室内装修改造工程",
        "method": "open_tender",
        "category": "works",
        "needs": "综合服务中心一至三层室内装修改造约2600平方米，含水电、消防、弱电改造，工期90日历天。",
        "requirements": "具有建筑装修装饰工程专业承包二级及以上资质和安全生产许可证；项目经理具有二级建造师资格。",
        "budget": Decimal("1850000.00"),
        "price_weight": 40,
        "stage": "contracted",
        "published": 150,
        "bids": [
            ("builder", Decimal("1832000.00"), "工期85日历天，质保2年。"),
            ("office", Decimal("1795000.00"), "工期90日历天，质保2年。"),
            ("property", Decimal("1840000.00"), "联合体施工，质保2年。"),
        ],
        "technical": {"builder": Decimal("56"), "office": Decimal("38"), "property": Decimal("41")},
        "contract": {"amendment": (Decimal("110000.00"), "增加二层档案室密集架基础加固及消防喷淋改造。")},
    },
    {
        "park": "yzw",
        "title": "科技城办公楼物业管理服务（2026—2027年度）",
        "method": "open_tender",
        "category": "services",
        "needs": "科技城办公楼及附属设施物业管理服务，含保洁、秩序维护、设施设备运维，服务期12个月。",
        "requirements": "具有独立法人资格；近三年承担过两个以上同类项目；无重大违法记录。",
        "budget": Decimal("960000.00"),
        "price_weight": 30,
        "stage": "announced",
        "published": 33,
        "bids": [
            ("property", Decimal("918000.00"), "驻场人员26人，24小时值守。"),
            ("garden", Decimal("895000.00"), "驻场人员22人。"),
            ("office", Decimal("940000.00"), "驻场人员24人。"),
        ],
        "technical": {"property": Decimal("62"), "garden": Decimal("45"), "office": Decimal("40")},
        "objection": (
            "garden",
            "我公司报价最低，技术方案完全响应招标文件，但综合得分排名第二，请说明技术评分的依据。",
            False,
            "经复核评审记录，评标委员会按招标文件第五章评分细则对驻场人员配置、应急预案等打分，评分无误，质疑不成立。",
        ),
    },
    {
        "park": "yzw",
        "title": "科技城会议中心视频会议系统采购",
        "method": "open_tender",
        "category": "goods",
        "needs": "会议中心视频会议终端6套、MCU 1台、会议平板4台，含安装调试和三年质保。",
        "requirements": "具有独立法人资格；所投产品具有国家强制性产品认证（CCC）。",
        "budget": Decimal("720000.00"),
        "price_weight": 40,
        "stage": "awarded",
        "published": 25,
        # Prices within 1 % of each other: a red flag (close prices).
        "bids": [
            ("it", Decimal("688000.00"), "终端6套，MCU支持32方。"),
            ("av", Decimal("691500.00"), "终端6套，MCU支持24方。"),
            ("office", Decimal("693000.00"), "终端6套，MCU支持32方，五年质保。"),
        ],
        "technical": {"it": Decimal("52"), "av": Decimal("47"), "office": Decimal("50")},
    },
    {
        "park": "yzw",
        "title": "科技城职工食堂食材配送服务",
        "method": "inquiry",
        "category": "goods",
        "needs": "职工食堂米面粮油、肉禽蛋、蔬菜水果配送，每日供应约300人，服务期12个月，按月结算。",
        "requirements": "具有食品经营许可证；配送车辆具备冷链条件。",
        "budget": Decimal("420000.00"),
        "stage": "evaluated",
        "published": 6,
        "bids": [
            ("property", Decimal("398000.00"), "每日7:00前送达。"),
            ("member", Decimal("405000.00"), "自有种植基地直供蔬菜。"),
            ("office", Decimal("412000.00"), ""),
        ],
    },
    {
        "park": "yzw",
        "title": "科技城主干道及公共绿地绿化养护服务",
        "method": "open_tender",
        "category": "services",
        "needs": "主干道两侧及公共绿地约18万平方米绿化养护，含修剪、病虫害防治、补植，服务期12个月。",
        "requirements": "具有独立法人资格；近三年承担过10万平方米以上绿化养护项目。",
        "budget": Decimal("1260000.00"),
        "price_weight": 30,
        "stage": "evaluation",
        "published": 22,
        "bids": [
            ("garden", Decimal("1180000.00"), "养护人员35人，配洒水车2台。"),
            ("property", Decimal("1215000.00"), "养护人员30人。"),
            ("builder", Decimal("1236000.00"), "养护人员28人，配高空作业车。"),
        ],
        "technical": {"garden": Decimal("60"), "property": Decimal("48"), "builder": Decimal("42")},
    },
    {
        "park": "yzw",
        "title": "智慧园区安防监控系统改造",
        "method": "negotiation",
        "category": "goods",
        "needs": "园区出入口、主干道高清监控点位120个改造，视频平台扩容，含三年运维。",
        "requirements": "具有独立法人资格；具有安防工程企业设计施工维护能力证书。",
        "budget": Decimal("980000.00"),
        "price_weight": 50,
        "stage": "opened",
        "published": 5,
        # 三亚鹿城信息技术 and 海南凤凰数码科技 share a telephone number: a blocking red flag that stops the
        # evaluation until the discipline officer decides it.
        "bids": [
            ("it", Decimal("915000.00"), "点位120个，平台扩容至500路。"),
            ("digital", Decimal("938000.00"), "点位120个。"),
            ("builder", Decimal("962000.00"), "点位120个，含管线改造。"),
        ],
    },
    {
        "park": "yzw",
        "title": "办公用纸及打印耗材采购（下半年）",
        "method": "inquiry",
        "category": "goods",
        "needs": "A4/A3复印纸1200箱，各型号硒鼓、墨盒，分批送货。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("180000.00"),
        # Closed at its deadline, waiting for the opening: the discipline officer co-signs it on the page.
        "stage": "closed",
        "published": 4,
        "bids": [
            ("office", Decimal("163500.00"), "三日内送达。"),
            ("member", Decimal("171800.00"), ""),
            ("it", Decimal("168200.00"), "硒鼓原装正品。"),
        ],
    },
    {
        "park": "yzw",
        "title": "科技城公共区域保洁服务",
        "method": "open_tender",
        "category": "services",
        "needs": "公共区域、地下停车场及公共卫生间日常保洁，服务期12个月。",
        "requirements": "具有独立法人资格；近三年无重大违法记录。",
        "budget": Decimal("560000.00"),
        "price_weight": 30,
        # Open for bids: two sealed bids nobody can read before the opening.
        "stage": "published",
        "published": 6,
        "bids": [
            ("property", Decimal("528000.00"), "保洁人员18人。"),
            ("member", Decimal("546000.00"), ""),
        ],
        "clarification": (
            "地下停车场的保洁频次要求是每日一次还是每周两次？",
            "地下停车场每日保洁一次，每周冲洗一次，详见招标文件第三章第2.4条。",
        ),
    },
    {
        "park": "yzw",
        "title": "智慧园区管理平台（一期）运维延续服务",
        "method": "single_source",
        "category": "services",
        "needs": "智慧园区管理平台（一期）系统运维、故障处理和功能适配，服务期12个月。",
        "requirements": "为原平台开发单位，持有平台源代码和知识产权。",
        "budget": Decimal("380000.00"),
        "justification": (
            "智慧园区管理平台（一期）由三亚鹿城信息技术有限公司开发，其持有平台源代码和软件著作权。运维涉及底层代码"
            "修改，其他供应商无法在不重建系统的情况下提供服务，符合《政府采购法》第三十一条第（二）项规定的情形。"
        ),
        "proposed": "it",
        # Its justification is under publicity (5 working days) and ends in a few days.
        "stage": "justification",
        "published": 2,
        "bids": [],
    },
    {
        "park": "yzw",
        "title": "科技城展厅多媒体设备采购",
        "method": "inquiry",
        "category": "goods",
        "needs": "展厅LED拼接屏1套、互动触摸一体机3台、中控系统1套。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("260000.00"),
        # One bid only: the opening fails the tender (废标) and raises the single-bid red flag.
        "stage": "failed",
        "published": 10,
        "bids": [("digital", Decimal("257000.00"), "含安装调试。")],
    },
    {
        "park": "yzw",
        "title": "科技城员工体检服务",
        "method": "inquiry",
        "category": "services",
        "needs": "在编及聘用人员约220人年度健康体检。",
        "requirements": "具有医疗机构执业许可证。",
        "budget": Decimal("150000.00"),
        "stage": "cancelled",
        "published": 8,
        "bids": [],
        "cancel": "上级主管部门统一组织年度体检，本项目需求取消。",
    },
    {
        "park": "yzw",
        "title": "南繁科研楼实验室通风系统改造",
        "method": "open_tender",
        "category": "works",
        "needs": "科研楼三层实验室通风柜12台更换、排风管道改造及废气处理设施安装。",
        "requirements": "具有机电工程施工总承包三级及以上资质。",
        "budget": Decimal("1380000.00"),
        "price_weight": 40,
        "stage": "draft",
        "published": None,
        "bids": [],
    },
    # --- 泸溪高新区: three batches of office furniture from one supplier within 90 days (a split purchase) ---
    {
        "park": "lx",
        "title": "管委会行政楼办公家具采购（一期）",
        "method": "inquiry",
        "category": "goods",
        "needs": "办公桌椅80套、文件柜60组。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("820000.00"),
        "stage": "contracted",
        "published": 90,
        "bids": [
            ("furniture", Decimal("786000.00"), "实木贴皮，质保5年。"),
            ("office", Decimal("799000.00"), ""),
            ("member", Decimal("812000.00"), ""),
        ],
        "contract": {},
    },
    {
        "park": "lx",
        "title": "管委会行政楼办公家具采购（二期）",
        "method": "inquiry",
        "category": "goods",
        "needs": "会议桌椅12套、接待沙发20组。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("790000.00"),
        "stage": "contracted",
        "published": 65,
        "bids": [
            ("furniture", Decimal("762000.00"), "质保5年。"),
            ("office", Decimal("771000.00"), ""),
            ("builder", Decimal("785000.00"), ""),
        ],
        "contract": {},
    },
    {
        "park": "lx",
        "title": "管委会行政楼办公家具采购（三期）",
        "method": "inquiry",
        "category": "goods",
        "needs": "档案密集架40组、阅览桌椅30套。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("760000.00"),
        "stage": "awarded",
        "published": 8,
        "bids": [
            ("furniture", Decimal("741000.00"), "质保5年。"),
            ("office", Decimal("748000.00"), ""),
            ("member", Decimal("755000.00"), ""),
        ],
    },
    {
        "park": "lx",
        "title": "高新区标准化厂房屋面防水维修工程",
        "method": "negotiation",
        "category": "works",
        "needs": "3号、5号标准化厂房屋面防水层翻新约6400平方米。",
        "requirements": "具有防水防腐保温工程专业承包资质。",
        "budget": Decimal("540000.00"),
        "price_weight": 60,
        "stage": "published",
        "published": 1,
        "bids": [("builder", Decimal("512000.00"), "SBS改性沥青防水卷材两道。")],
    },
    # --- 泉州开发区 -----------------------------------------------------------------------------------------
    {
        "park": "qz",
        "title": "“清亲清濛”智慧监督服务平台二期建设",
        "method": "open_tender",
        "category": "services",
        "needs": "平台新增惠企资金全链条监督、工程监督预警两个模块，与政务服务平台对接，含一年运维。",
        "requirements": "具有独立法人资格；具有ISO 9001质量管理体系认证；近三年承担过两个以上政务信息化项目。",
        "budget": Decimal("1560000.00"),
        "price_weight": 30,
        "stage": "contracted",
        "published": 120,
        "bids": [
            ("software", Decimal("1498000.00"), "实施周期120天，驻场6人。"),
            ("network", Decimal("1452000.00"), "实施周期150天。"),
            ("cloud", Decimal("1529000.00"), "实施周期100天，云资源一年。"),
        ],
        "technical": {"software": Decimal("63"), "network": Decimal("49"), "cloud": Decimal("55")},
        "contract": {},
    },
    {
        "park": "qz",
        "title": "开发区政务云平台网络安全等级保护测评服务",
        "method": "invited_tender",
        "category": "services",
        "needs": "政务云平台及“清亲清濛”平台网络安全等级保护三级测评、风险评估和整改复测。",
        "requirements": "具有网络安全等级保护测评机构推荐证书；近三年承担过两个以上政务系统测评项目。",
        "budget": Decimal("460000.00"),
        "price_weight": 30,
        "invited": ["software", "network", "cloud"],
        "stage": "evaluated",
        "published": 24,
        "bids": [
            ("network", Decimal("436000.00"), "测评人员6人，含整改复测一次。"),
            ("software", Decimal("448000.00"), "测评人员5人。"),
            ("cloud", Decimal("429000.00"), "测评人员4人。"),
        ],
        "technical": {"network": Decimal("66"), "software": Decimal("52"), "cloud": Decimal("47")},
    },
    {
        "park": "qz",
        "title": "开发区主干道路灯节能改造",
        "method": "negotiation",
        "category": "works",
        "needs": "清濛大道、德泰路路灯约460盏更换为LED节能灯具，加装单灯控制器。",
        "requirements": "具有城市及道路照明工程专业承包资质。",
        "budget": Decimal("1120000.00"),
        "price_weight": 50,
        "stage": "published",
        "published": 1,
        "bids": [("lighting", Decimal("1068000.00"), "灯具质保5年。")],
    },
    {
        "park": "qz",
        "title": "企业服务中心自助办事终端采购",
        "method": "inquiry",
        "category": "goods",
        "needs": "自助办事终端10台，含身份证读卡、高拍仪、打印模块。",
        "requirements": "具有独立法人资格。",
        "budget": Decimal("300000.00"),
        "stage": "draft",
        "published": None,
        "bids": [],
    },
]

# The status every story ends in, in the order of the path (a story runs every step up to its stage).
STAGES = (
    "draft",
    "justification",
    "published",
    "closed",
    "opened",
    "evaluation",
    "evaluated",
    "awarded",
    "announced",
    "contracted",
)
