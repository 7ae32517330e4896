"""Demo content for `manage.py seed_demo` and `manage.py demo_banner`: the parks of the source articles
(../shared/seeds/), their departments, published figures, fictional enterprises and one account per role.

Park descriptions and figures come from the articles (each figure records its source). Enterprise names,
people and credit codes are invented; the codes are valid (their check character is computed).
"""

from decimal import Decimal

from core import roles
from parks.validators import credit_code_check_character

DEMO_PASSWORD = "Qinglian@2026"
PLATFORM_ADMIN_USERNAME = "admin"

SOURCE_YZW = "海南日报《三亚：以“廉洁指数”提升园区发展“人气指数”》，2022-12-12"
SOURCE_LX = "湖南日报·新湖南客户端《泸溪县高新区：强化清廉园区建设 促进园区高质量发展》，2022-08-29"
SOURCE_QZ = "高新院《泉州开发区：推动构建亲清政商关系 打造风清气正新型园区》，2021-09-29"


def demo_credit_code(division, serial):
    """A valid code for a company registered by 工商 (91) in `division` (GB/T 2260), unique by `serial`."""
    body = f"91{division}MA{serial:07d}"
    return body + credit_code_check_character(body)


PARKS = [
    {
        "code": "yzw",
        "name": "三亚崖州湾科技城",
        "level": "provincial",
        "region": "海南省三亚市崖州区",
        "industries": "南繁种业、深海科技、科技服务",
        "description": (
            "三亚崖州湾科技城是海南自由贸易港重点园区，以南繁种业和深海科技为特色。科技城以“清廉园区”建设为契机，"
            "全力打造“亲”与“清”的政商环境，以“廉洁指数”提升园区建设“人气指数”“发展指数”。\n"
            "在“我爱崖州湾”APP上线“吐槽区”，形成“统一受理、统一跟进、联合处置、核查督办、反馈报告”的工作机制；"
            "建立“城小二”队伍，提供政策咨询、财税办理、融资对接、培育辅导等12类65项“一站式服务”。"
            "搭建“云上读地”平台，推进“智慧工地”建设，上线电子采购平台，比价采用“双盲”模式。"
        ),
        "departments": [
            ("统一受理中心", "dispatch", "“城小二”服务队伍：企业诉求统一受理、统一分办、跟踪回访。"),
            ("纪工委", "discipline", "受理投诉举报，开展廉洁风险排查和核查督办。"),
            ("企业服务部", "business", "政策兑现、惠企服务、人才服务。"),
            ("招商服务部", "business", "招商引资、项目落地服务。"),
            ("规划建设部", "business", "规划管理、工程建设、“智慧工地”监管。"),
            ("财政金融部", "business", "财税办理、融资对接。"),
            ("党群工作部", "business", "党建、清廉文化建设。"),
        ],
        "figures": [
            ("企业诉求责任到人、限时办结", "8000", "余项", 2022),
            ("“一站式服务”事项", "65", "项", 2022),
            ("在建工程项目全周期监督", "65", "个", 2022),
            ("“智慧工地”预警事项", "26", "个", 2022),
            ("“云上读地”发布土地信息", "20", "余个", 2022),
            ("促进土地出让", "5", "宗", 2022),
            ("承接省、市级政务服务管理权限", "118", "主项", 2022),
            ("第二批企业诉求解答", "35", "条", 2022),
        ],
        "figure_source": SOURCE_YZW,
        "statistics": [],
        "division": "460205",
        "people": {
            roles.PARK_ADMIN: ("林海", "管理局办公室主任", None),
            roles.DISPATCHER: ("陈晓", "“城小二”受理专员", "统一受理中心"),
            roles.HANDLER: ("黄明", "企业服务专员", "企业服务部"),
            roles.DISCIPLINE: ("吴清", "纪工委干部", "纪工委"),
            roles.AUDITOR: ("周正", "第三方核查员", None),
            roles.ENTERPRISE: ("符南", "南繁种业公司行政主管", None),
        },
        "enterprises": [
            # (name, industry, legal representative, serial, how it enters: "member"/"park"/"pending")
            ("三亚崖州湾南繁种业科技有限公司", "南繁种业", "符南", 1, "member"),
            ("海南深蓝海洋装备有限公司", "深海装备", "邢海波", 2, "park"),
            ("三亚湾谷生物育种有限公司", "生物育种", "羊春华", 3, "park"),
            ("崖州湾智慧物流有限公司", "现代物流", "王晨", 4, "pending"),
        ],
        "applicant": ("王晨", "applicant_yzw"),
    },
    {
        "code": "lx",
        "name": "泸溪高新技术产业开发区",
        "level": "provincial",
        "region": "湖南省湘西土家族苗族自治州泸溪县",
        "industries": "新材料、先进制造",
        "description": (
            "泸溪高新技术产业开发区以“制度”为切入点、以“监督”为着力点、以“服务”为突破点推进“清廉园区”建设。"
            "纪工委每月对管委会干部职工“一对一”“一对多”联点企业工作开展情况进行通报，推动帮助企业解决生产经营"
            "等方面问题30余个；修订出台涵盖15项制度的《泸溪高新区内部管理制度》，出台《园区干部“十不准”》，"
            "发挥纪工委营商环境观测员职能作用。\n"
            "园区成立代收代办点，为入园企业提供“一站式”“保姆式”“零跑腿”审批服务。"
        ),
        "departments": [
            ("统一受理中心", "dispatch", "代收代办点：企业诉求和审批事项统一受理、帮代办。"),
            ("纪工委", "discipline", "联点企业工作月度通报、营商环境观测、作风纪律监督。"),
            ("企业服务局", "business", "联点企业服务、惠企纾困政策落实。"),
            ("经济发展局", "business", "经济运行、统计、科技创新。"),
            ("规划建设局", "business", "规划管理、工程建设、工程签证管理。"),
            ("招商合作局", "business", "招商引资、项目签约。"),
        ],
        "figures": [
            ("联点企业帮助解决问题", "30", "余个", 2022),
            ("内部管理制度", "15", "项", 2022),
            ("8月成功签约项目", "6", "个", 2022),
            ("8月签约合同总金额", "20.5", "亿元", 2022),
        ],
        "figure_source": SOURCE_LX,
        "statistics": [
            {
                "year": 2022,
                "period_kind": "month",
                "period_number": 7,
                "revenue": Decimal("48.75"),
                "output": Decimal("10.97"),
                "fixed_asset_investment": Decimal("4.49"),
                "industrial_profit": Decimal("1.00"),
                "import_export": Decimal("2.30"),
                "rd_spending": Decimal("0.95"),
                "reported_growth": {
                    "revenue": 44,
                    "output": 41,
                    "fixed_asset_investment": 37,
                    "industrial_profit": 203,
                    "import_export": 290,
                    "rd_spending": 283,
                },
                "source": SOURCE_LX,
            }
        ],
        "division": "433122",
        "people": {
            roles.PARK_ADMIN: ("向东", "管委会办公室主任", None),
            roles.DISPATCHER: ("张敏", "代收代办专员", "统一受理中心"),
            roles.HANDLER: ("彭亮", "联点企业服务专员", "企业服务局"),
            roles.DISCIPLINE: ("田静", "纪工委干部", "纪工委"),
            roles.AUDITOR: ("石磊", "第三方核查员", None),
            roles.ENTERPRISE: ("杨帆", "新材料公司综合部经理", None),
        },
        "enterprises": [
            ("泸溪沅水新材料科技有限公司", "新材料", "杨帆", 1, "member"),
            ("泸溪武溪复合材料有限公司", "复合材料", "符建军", 2, "park"),
            ("湘西辰州食品有限公司", "农副产品加工", "滕玉梅", 3, "park"),
            ("泸溪高新智能装备有限公司", "装备制造", "李卫", 4, "pending"),
        ],
        "applicant": ("李卫", "applicant_lx"),
    },
    {
        "code": "qz",
        "name": "泉州开发区",
        "level": "national",
        "region": "福建省泉州市",
        "industries": "鞋服制造、直播电商、智能制造",
        "description": (
            "泉州开发区服务与管理质量位居全省第一，审批服务事项压缩比全省名列前茅，公众评议得分连续3年位居全市第一。"
            "开发区纪工委监察组印发《关于推动构建新型政商关系的实施意见》，提出廉洁行政“八个不准”、廉洁从商"
            "“七项规范”以及涉企公务活动“七个准许”，上线“清亲清濛”智慧监督服务平台，将惠企服务、工程监督、"
            "国有资产监督、政务审批、便民服务等模块纳入平台，进行全天候、可视化、轨迹化管理。\n"
            "2020年出台《推进清廉民营企业建设的若干意见》，引导民营企业建立清廉责任、教育、制度、惩戒体系。"
        ),
        "departments": [
            ("统一受理中心", "dispatch", "“跑一趟办不成投诉中心”：企业诉求统一受理、分办。"),
            ("纪工委监察组", "discipline", "“正负清单”监督、惠企资金全链条监督、问题线索台账。"),
            ("科技经济发展局", "business", "惠企政策、惠企资金发放、科技创新扶持。"),
            ("社会事业局", "business", "社会事业、便民服务。"),
            ("规划建设局", "business", "规划管理、工程监督。"),
            ("行政服务中心", "business", "审批服务、“水、电、气、广电”一站式服务窗口。"),
        ],
        "figures": [
            ("纪检监察干部实地走访企业", "82", "家", 2021),
            ("召开企业家座谈会", "8", "次", 2021),
            ("收集问题线索", "43", "条", 2021),
            ("协调解决问题", "35", "条", 2021),
            ("清廉民营企业建设示范试点", "6", "家", 2021),
            ("“送法进企业”活动", "10", "场", 2021),
        ],
        "figure_source": SOURCE_QZ,
        "statistics": [],
        "division": "350502",
        "people": {
            roles.PARK_ADMIN: ("陈志远", "管委会办公室主任", None),
            roles.DISPATCHER: ("郑丽", "受理专员", "统一受理中心"),
            roles.HANDLER: ("苏文", "惠企服务专员", "科技经济发展局"),
            roles.DISCIPLINE: ("蔡明", "党风政风监督室干部", "纪工委监察组"),
            roles.AUDITOR: ("许诚", "第三方核查员", None),
            roles.ENTERPRISE: ("洪雅", "鞋业公司行政经理", None),
        },
        "enterprises": [
            ("泉州清濛智造鞋业有限公司", "鞋服制造", "洪雅", 1, "member"),
            ("泉州清源直播电商有限公司", "直播电商", "黄志强", 2, "park"),
            ("泉州开发区精密机械有限公司", "智能制造", "庄伟", 3, "park"),
            ("泉州鲤城运动用品有限公司", "体育用品", "吴晓峰", 4, "pending"),
        ],
        "applicant": ("吴晓峰", "applicant_qz"),
    },
]

ROLE_ORDER = (roles.PARK_ADMIN, roles.DISPATCHER, roles.HANDLER, roles.DISCIPLINE, roles.AUDITOR, roles.ENTERPRISE)


def username_for(role, park_code):
    return f"{role}_{park_code}"


def demo_accounts():
    """(username, role, park name) of every demo account, the platform administrator first."""
    rows = [(PLATFORM_ADMIN_USERNAME, roles.PLATFORM_ADMIN, "")]
    for park in PARKS:
        rows += [(username_for(role, park["code"]), role, park["name"]) for role in ROLE_ORDER]
        rows.append((park["applicant"][1], roles.ENTERPRISE, park["name"]))
    return rows
