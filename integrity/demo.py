"""Demo content for `manage.py seed_integrity_demo`: conduct lists, pledge texts and declarations for the
parks of the source articles (../shared/seeds/).

The lists follow the articles where they name them: 泸溪高新区《园区干部“十不准”》 (001: the items are built
from the conduct the article says the park forbids — 滥用监管职权、吃拿卡要、乱收费乱摊派、违规干预经营、
违规参股借贷、违规收受红包礼金、接受管理和服务对象宴请、优亲厚友、虚报冒领套取资金、慢作为不作为);
泉州开发区 廉洁行政“八个不准”、廉洁从商“七项规范”、涉企公务活动“七个准许” (002: the article names the three
lists without their wording; the 准许 items keep what it describes — 贺联贺匾、自费送花圈吊唁、电话微信沟通、
帮助争取政策项目资金、信息咨询政策解读 — and the rest is written in the usual wording of such lists);
三亚崖州湾科技城 (000): 收到礼品要上交、婚丧嫁娶要报备、阳光工程有协议.
"""

from integrity.choices import Audience, ConductKind, SignerKind

P, N, A = ConductKind.PROHIBITED, ConductKind.NORM, ConductKind.PERMITTED

TEN_PROHIBITIONS = [
    (P, "不准滥用监管职权，对企业故意刁难、设置障碍"),
    (P, "不准吃拿卡要，向企业索取或者收受财物"),
    (P, "不准对企业乱收费、乱摊派、乱罚款"),
    (P, "不准违规干预企业正常生产经营活动"),
    (P, "不准违规在企业参股入股、借贷或者兼职取酬"),
    (P, "不准违规收受企业赠送的红包礼金、消费卡和有价证券"),
    (P, "不准接受管理和服务对象的宴请及旅游、娱乐等活动安排"),
    (P, "不准优亲厚友，利用职务便利为亲属经商办企业谋取利益"),
    (P, "不准虚报冒领、套取惠企资金和项目资金"),
    (P, "不准对企业合理诉求推诿扯皮，慢作为、不作为"),
]

EIGHT_PROHIBITIONS = [
    (P, "不准利用职权或者影响力向企业吃拿卡要、索取或者收受财物"),
    (P, "不准接受企业安排的宴请、旅游、健身、娱乐等活动"),
    (P, "不准在企业报销应由个人或者单位支付的费用"),
    (P, "不准向企业借用车辆、房产或者要求企业提供其他物质便利"),
    (P, "不准违规在企业兼职取酬、参股入股或者放贷借贷"),
    (P, "不准利用职务便利为亲属、朋友经商办企业谋取利益"),
    (P, "不准对企业合理诉求推诿扯皮、故意刁难"),
    (P, "不准泄露企业商业秘密或者违规干预企业正常经营"),
]

SEVEN_PERMISSIONS = [
    (A, "准许通过电话、微信等方式与企业家正常沟通交流"),
    (A, "准许企业家家中办喜事时，送上区内书法家书写的贺联贺匾"),
    (A, "准许企业家家中遇白事时，自费送花圈或者前往吊唁"),
    (A, "准许积极帮助民营企业争取政策、项目和资金"),
    (A, "准许为企业发展提供信息咨询、政策解读"),
    (A, "准许在企业调研、检查时按规定安排工作餐"),
    (A, "准许依法依规为企业协调解决生产经营中的困难和问题"),
]

SEVEN_NORMS = [
    (N, "依法诚信经营，不以不正当手段谋取利益"),
    (N, "不向公职人员赠送礼品礼金、消费卡和有价证券"),
    (N, "不邀请公职人员参加可能影响公正执行公务的宴请和娱乐活动"),
    (N, "不为公职人员及其亲属报销费用、提供借款或者安排就业"),
    (N, "如实申报惠企政策和项目资金，不虚报冒领、套取资金"),
    (N, "依规参与招标投标，不围标串标、弄虚作假"),
    (N, "发现公职人员违纪违法行为，及时向园区纪工委反映"),
]

YZW_OFFICIALS = [
    (P, "不准收受管理和服务对象的礼品礼金，收到礼品要上交"),
    (P, "不准在婚丧喜庆事宜中借机敛财，婚丧嫁娶要报备"),
    (P, "不准在人事管理、招商引资、工程项目、行政审批、政策兑现中以权谋私"),
    (P, "不准对企业吃拿卡要、推绕拖"),
    (N, "阳光工程有协议：工程项目签订廉政协议，全程留痕"),
    (N, "亲属经商办企业如实报告，涉及关联交易主动回避"),
    (A, "准许通过“城小二”服务队伍主动对接企业、上门服务"),
    (A, "准许依规为企业提供政策咨询、融资对接、培育辅导"),
]

YZW_ENTERPRISES = [
    (N, "依法合规经营，如实提交申报材料"),
    (N, "不向园区工作人员赠送礼品礼金，不安排宴请娱乐"),
    (N, "参与采购项目遵守“双盲”比价规则，不打探、不串通报价"),
    (N, "工程项目签订廉政合同，不转包、不违法分包、不挂靠资质"),
    (N, "发现吃拿卡要等问题，通过“吐槽区”或监督提醒卡反映"),
]

# park code -> [(audience, title, introduction, items)], in publishing order (a second entry for the same
# audience publishes a new version, leaving the first as history).
CONDUCT_LISTS = {
    "lx": [
        (
            Audience.OFFICIALS,
            "泸溪高新区园区干部“十不准”",
            "规范干部职工行为，构建一流亲清政商关系。",
            TEN_PROHIBITIONS[:8],
        ),
        (
            Audience.OFFICIALS,
            "泸溪高新区园区干部“十不准”",
            "规范干部职工行为，构建一流亲清政商关系。（修订：增加惠企资金和服务作风两条）",
            TEN_PROHIBITIONS,
        ),
        (Audience.ENTERPRISES, "泸溪高新区清廉企业经营规范", "", SEVEN_NORMS[:5]),
    ],
    "qz": [
        (
            Audience.OFFICIALS,
            "泉州开发区政商交往正负清单（公职人员）",
            "廉洁行政“八个不准”与涉企公务活动“七个准许”：既划定纪律“红线”，又划出干事创业“安全区”。",
            EIGHT_PROHIBITIONS + SEVEN_PERMISSIONS,
        ),
        (
            Audience.ENTERPRISES,
            "泉州开发区廉洁从商“七项规范”",
            "推动形成“亲而有度、清而有为”的政企互动氛围。",
            SEVEN_NORMS,
        ),
    ],
    "yzw": [
        (Audience.OFFICIALS, "崖州湾科技城干部廉洁从政清单", "", YZW_OFFICIALS),
        (Audience.ENTERPRISES, "崖州湾科技城入园企业廉洁经营规范", "", YZW_ENTERPRISES),
    ],
}

OFFICIAL_TEXT = (
    "本人作为{park}工作人员，郑重承诺：\n"
    "一、严守政治纪律和政治规矩，严格执行中央八项规定精神。\n"
    "二、秉公用权、廉洁从政，不利用职务便利为本人及亲属谋取利益；亲属经商办企业如实报告，涉及时主动回避。\n"
    "三、收到礼品礼金及时登记上交，婚丧喜庆事宜事前报告、从简办理。\n"
    "四、热情服务企业，不推诿扯皮、不吃拿卡要，自觉接受组织和企业监督。\n"
    "如有违反，自愿接受组织处理。"
)
ENTERPRISE_TEXT = (
    "本企业入驻{park}，郑重承诺：\n"
    "一、依法诚信经营，如实申报各类材料和惠企资金。\n"
    "二、不向园区工作人员及其亲属赠送礼品礼金、消费卡和有价证券，不安排宴请和娱乐活动。\n"
    "三、发现工作人员吃拿卡要、以权谋私等问题，及时向园区纪工委反映。\n"
    "如有违反，自愿承担相应责任，并接受园区通报。"
)
SUPPLIER_TEXT = (
    "本单位参与{park}采购活动，郑重承诺：如实提供资质材料；不围标串标、不弄虚作假；"
    "不向采购人员、评审专家及其亲属提供任何不正当利益；接受采购结果公示和质疑程序。"
)
EVALUATOR_TEXT = (
    "本人参加{park}项目评审，郑重承诺：客观公正履行评审职责；与投标人存在利害关系的主动申请回避；"
    "不私下接触投标人，不收受任何财物，不泄露评审情况。"
)
CONTRACT_TEXT = (
    "甲方（{park}）与乙方在项目实施中共同遵守廉政合同：双方不得索取或者给予合同约定外的任何利益；"
    "乙方不得转包、违法分包或挂靠资质；任何一方发现违约线索，应当向园区纪工委报告。"
)

PLEDGE_TEXTS = {
    SignerKind.OFFICIAL: ("廉洁从政承诺书", OFFICIAL_TEXT),
    SignerKind.ENTERPRISE: ("入园企业廉洁承诺书", ENTERPRISE_TEXT),
    SignerKind.SUPPLIER: ("供应商廉洁承诺书", SUPPLIER_TEXT),
    SignerKind.EVALUATOR: ("评审专家廉洁承诺书", EVALUATOR_TEXT),
    SignerKind.CONTRACT: ("工程项目廉政合同", CONTRACT_TEXT),
}
