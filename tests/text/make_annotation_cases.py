"""Regenerate annotation_cases.tsv: authored sentences, put into the mirror's annotated form.

Run from the repository root: ``python tests/text/make_annotation_cases.py``.

The expected outputs are authored: each Simplified sentence below is converted to Traditional
with OpenCC ``s2t`` (the mirror's own step) and that Traditional text — never the stripper's
output — is the expected result of annotation removal. The input adds what the mirror did:
a reading in parentheses after every converted character, in one of several styles (first
dictionary reading, reading in context, toneless, full-width parentheses, repeated groups,
lost characters written ``?`` with the opening parenthesis eaten). Legitimate parentheses are
written by hand, with their expected text, and must survive.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

OUT = Path(__file__).resolve().parent / "annotation_cases.tsv"

# Authored Simplified sentences (park news register). Each becomes one annotated case.
SENTENCES = """\
管委会召开专题会议，研究部署明年招商引资工作。
园区新签约项目十二个，总投资超过八十亿元。
开发区党工委书记带队赴上海开展招商推介活动。
今年一季度，园区规模以上工业总产值同比增长百分之十五。
新能源汽车零部件产业园一期工程顺利竣工。
园区举办第三届创新创业大赛，吸引两百余支团队报名参加。
市领导来园区调研重大项目建设情况，听取相关汇报。
园区与南京大学签订产学研合作协议，共建联合实验室。
各街道要认真落实安全生产责任制，确保不发生重大事故。
开展夏季消防安全专项检查，排查整改隐患三十余处。
园区获评省级生态工业示范园区。
跨境电商产业园正式开园，首批入驻企业二十家。
管委会主任主持召开经济运行分析会。
智能制造示范车间通过省工信厅验收。
园区人才公寓交付使用，可容纳一千余名青年人才。
全面推行企业投资项目承诺制审批改革。
政务服务中心新设企业开办专窗，实现一日办结。
组织开展河道综合整治，提升水环境质量。
园区举行重点项目集中开工仪式，十个项目同步开工。
生物医药产业园引进一批高端研发机构。
深入推进营商环境优化提升行动，打造一流服务品牌。
港口物流园区货物吞吐量再创历史新高。
园区教育集团新建两所学校，将于九月开学。
社区卫生服务中心开展家庭医生签约服务。
垃圾分类工作纳入社区网格化管理考核。
开发区召开年度表彰大会，表彰先进集体和个人。
园区组织企业参加进博会，达成采购意向金额三亿元。
新建道路全线贯通，进一步完善区域交通网络。
高新技术企业数量三年翻了一番。
园区与德国企业签署战略合作备忘录。
举办职业技能竞赛，提升产业工人技术水平。
园区综合保税区通过国家验收，正式封关运作。
开展安全生产月活动，普及应急避险知识。
推动数字化转型，建设工业互联网标识解析节点。
园区图书馆举办读书分享会，吸引众多居民参与。
集成电路产业链上下游企业加快集聚。
强化土地集约利用，盘活闲置低效用地两百亩。
环境监测站实时发布空气质量数据。
为民办实事项目全部按期完成。
园区工会举办职工篮球赛，丰富职工业余生活。
高层次人才创新创业基地启动建设。
探索建立跨区域利益共享机制。
银行与企业对接会现场签约贷款十亿元。
管委会领导走访慰问困难党员和老干部。
文化体育中心主体结构封顶。
推进农村人居环境整治，打造美丽宜居乡村。
园区发布支持科技创新的十条政策措施。
企业研发费用加计扣除政策宣讲会举行。
新材料产业基地被认定为省级特色产业基地。
组织专家对重点企业进行节能诊断。
绿色建筑评价标识项目达到二十个。
园区出台促进现代服务业发展的实施意见。
开发区与海关签署通关便利化合作协议。
启动创建国家级经济技术开发区工作。
园区党建工作会议部署年度重点任务。
检查组对在建工地扬尘治理情况进行督查。
青年创业园孵化企业累计突破三百家。
园区举办新春招聘会，提供就业岗位五千余个。
完善公共法律服务体系，设立法律援助工作站。
加快推进五星级酒店项目建设进度。
医疗器械产业园吸引多家上市公司落户。
深化放管服改革，压缩企业开办时间。
园区组织召开防汛防台工作部署会。
长江大保护专项行动取得阶段性成效。
创建国家生态文明建设示范区。
建立重点企业服务专员制度，帮助企业解决实际困难。
开发区举行项目签约仪式，外资项目占比超过一半。
园区金融服务中心揭牌成立。
智慧停车系统上线运行，缓解停车难问题。
新建污水处理厂提标改造工程完工。
完成年度节能减排目标任务。
园区首家院士工作站获批设立。
深入开展扫黑除恶专项斗争，维护社会稳定。
农业产业化龙头企业带动农民增收致富。
航空航天配套产业园项目举行奠基仪式。
园区企业荣获省科学技术奖一等奖。
加强知识产权保护，建设知识产权服务中心。
开展校企合作，定向培养紧缺技能人才。
国际学校项目签约落户园区。
管委会举行理论学习中心组专题学习会。
园区外贸进出口总额实现逆势增长。
海上风电装备制造基地投入运营。
组织开展网络安全宣传周活动。
创业担保贷款为小微企业纾困解难。
园区成立企业家联合会，搭建交流合作平台。
推进老旧小区改造，惠及居民三千余户。
公交线路优化调整，方便群众出行。
邻里中心建成开放，提供一站式便民服务。
园区发放首批人才安居补贴。
召开重大项目推进会，逐个研究解决难题。
开发区获得国家知识产权示范园区称号。
建设长三角一体化发展先行区。
实施质量强区战略，推动标准化建设。
组织企业开展安全隐患自查自纠。
推进清洁能源替代，建设分布式光伏电站。
园区首届马拉松比赛鸣枪开跑。
市场监管部门开展食品安全专项检查。
健全矛盾纠纷多元化解机制。
推动产城融合发展，完善城市功能配套。
举办国际经贸合作论坛，多国使节出席。
智能网联汽车测试道路正式开放。
加快建设区域性科创中心。
园区企业参与制定三项国家标准。
实施乡村振兴战略，发展特色农业。
税务部门为企业办理留抵退税两亿元。
开展文明城市创建志愿服务活动。
机器人产业园首批项目投产达效。
园区荣获全国和谐劳动关系创建示范工业园区。
召开安全生产委员会全体会议。
完善应急管理体系，提升防灾减灾能力。
园区科技型中小企业评价入库数量创新高。
深化与新加坡的合作，拓展合作领域。
开发区工业用地亩均税收持续提高。
政府投资项目全面实行全过程审计监督。
举办中秋游园会，营造欢乐祥和的节日氛围。
推进数据中心建设，打造算力基础设施。
组织专家评审产业扶持资金项目。
园区统战工作会议强调凝聚各方力量。
加快发展冷链物流，完善农产品流通体系。
开发区举办企业家沙龙，畅谈发展机遇。
新建体育公园向市民免费开放。
园区网格员上门走访，收集群众意见建议。
节能环保装备产业集群加速成长。
设立产业引导基金，撬动社会资本投入。
召开青年干部座谈会，勉励年轻干部担当作为。
园区纪工委开展廉政警示教育活动。
推动建设高标准农田，保障粮食安全。
举办人才招聘专场活动，促成签约意向八百余人。
推动企业上市挂牌，拓宽直接融资渠道。
完成第五次全国经济普查登记工作。
港区铁路专用线开通运营。
推广使用新能源公交车，减少碳排放。
开展禁毒宣传进校园活动。
园区获批建设国家级人力资源服务产业园。
加快推进保障性租赁住房建设。
组织召开重点企业用工保障协调会。
园区开通直达机场的定制公交。
建设海绵城市，提升城市排涝能力。
积极应对国际贸易摩擦，稳定外资外贸。
完善企业信用评价体系，推进信用监管。
开展消费券发放活动，提振居民消费信心。
园区举办首届文化旅游节。
推进跨江合作，共建产业协作园区。
设立外国人工作许可服务窗口。
组织开展职业病防治宣传活动。
园区综合执法局开展违法建设专项整治。
推动建设零碳产业园，助力实现双碳目标。
召开年度经济工作会议，明确发展目标。
提高财政资金使用效益，严控一般性支出。
新开通的轨道交通线路设有三个园区站点。
园区举行新录用公务员入职培训。
推进医疗联合体建设，提升基层医疗服务水平。
开展养老服务机构消防安全检查。
创新社会治理方式，推动共建共治共享。
园区组建专家顾问团，为发展建言献策。
举办投资环境说明会，推介园区发展优势。
实现主要经济指标全面飘红。
企业技术中心认定工作顺利完成。
开展防范非法集资宣传月活动。
启动建设园区综合管廊工程。
深入实施创新驱动发展战略，培育发展新动能。
园区召开优化营商环境工作推进会，通报典型问题。
新能源电池项目签约落户，计划三年内建成投产。
开发区举办企业服务日活动，现场解答政策咨询。
组织开展应急演练，检验预案的可操作性。
园区建成五个口袋公园，方便居民休闲健身。
重点实验室获批国家级科研平台。
召开专题会议研究推进城市更新工作。
园区发布年度重大项目清单，总投资五百亿元。
完善基层党组织体系，实现党的组织全覆盖。
举办产业链供需对接会，促成合作项目四十个。
园区开展冬季供暖安全大检查。
推进高质量发展，争当表率、争做示范、走在前列。
全面提升园区数字治理能力。
新建幼儿园投入使用，新增学位六百个。
管委会与高校共建现代产业学院。
加强耕地保护，严格落实田长制。
海关监管作业场所通过验收。
开展优秀企业家评选表彰活动。
园区完成国土空间规划编制工作。
推进农村公路提档升级。
设立企业服务热线，做到有求必应。
组织收看警示教育片，筑牢思想防线。
园区召开外资企业座谈会，倾听企业心声。
启动建设滨江生态廊道。
培育壮大专精特新企业群体。
建立项目全生命周期服务机制。
开展燃气安全专项整治行动。
园区联合银行推出科技贷专项产品。
新建变电站投运，保障企业用电需求。
组织开展民主评议党员工作。
园区对口帮扶工作获得表扬。
推进工业企业资源集约利用综合评价。
开展爱国卫生运动，改善人居环境。
园区成立知识产权维权援助工作站。
举行退役军人服务站揭牌仪式。
打造国际化营商环境，吸引跨国公司地区总部。
园区荣获全省开发区综合考评第一名。
推动建设智慧社区，提升基层治理水平。
加快推进跨江通道前期工作，力争早日开工建设。
召开生态环境保护委员会会议。
""".splitlines()

# Authored legitimate parentheses. Each entry: (Simplified sentence, note). The sentence is
# put through the mirror (annotations after converted characters) and its parentheses must
# survive; the expected text is its s2t Traditional form.
LEGIT_IN_ANNOTATED = [
    ("中新(南通)产业合作区签约五个项目。", "place name in ASCII parens"),
    ("中新（苏州）工业园区代表团来访交流。", "place name in full-width parens"),
    ("园区发展人工智能(AI)和大数据产业。", "uppercase acronym"),
    ("英国专家李(Li)先生出席签约仪式并致辞。", "romanised surname, capitalised"),
    ("张(Zhang)教授团队与园区企业开展合作。", "romanised surname after a converted-free char"),
    ("园区生产总值(GDP)增长百分之八。", "uppercase acronym GDP"),
    ("全面推行政府和社会资本合作(PPP)模式。", "acronym after a converted char"),
    ("各单位要认真贯彻执行《园区管理办法(试行)》。", "(试行) inside book title"),
    ("管理办法（试行）自发布之日起施行。", "full-width (试行)"),
    ("苏州工业园区(以下简称园区)召开会议。", "(以下简称…) with converted chars inside"),
    ("南通市(2024)年度考核结果公布。", "year in parens"),
    ("会议议程：(一)听取汇报；(二)研究部署。", "numbered items (一)(二)"),
    ("项目总投资十亿元(含土地费用)。", "(含…) note"),
    ("产值(万元)与税收(万元)均实现增长。", "units in parens"),
    ("增速(%)位居全市第一，领跑各类园区。", "percent sign in parens"),
    ("详情请咨询服务热线(0513-12345678)。", "phone number"),
    ("访问门户网站(www.example.gov.cn)了解更多。", "URL lowercase latin without tones"),
    ("办公时间(周一至周五)为企业提供咨询服务。", "CJK note in parens"),
    ("平台同时推出手机应用(app)方便群众办事。", "lowercase English word after converted char"),
    ("企业对企业(B2B)电商交易额大幅增长。", "mixed-case acronym"),
    ("园区引进物联网(IoT)企业十家。", "mixed-case acronym IoT"),
    ("环境、社会和治理(ESG)报告发布。", "uppercase ESG"),
    ("获得发明专利授权(件)数量翻番。", "unit (件)"),
    ("第(3)项指标超额完成。", "digit in parens"),
    ("附件(a)和附件(b)一并印发。", "letter enumeration (a) (b)"),
    ("微信公众号(WeChat)同步发布信息。", "brand name"),
    ("园区位于长三角(YRD)核心区域。", "uppercase abbreviation"),
    ("新设外资企业(家)同比增长。", "unit (家)"),
    ("本通知由园区管委会(办公室)负责解释。", "office name in parens"),
    ("会议由副主任(主持)主持。", "role in parens"),
    ("项目分为两期(一期、二期)实施。", "phases in parens"),
    ("实施细则(征求意见稿)面向社会公开征求意见。", "draft marker"),
    ("新加坡(Singapore)企业代表参加座谈会。", "English country name"),
    ("苏锡通(Suxitong)园区获评示范园区。", "romanised place name"),
    ("采用发光二极管(led)节能照明设备。", "lowercase acronym not a reading"),
    ("专家组对项目进行评审(复审)。", "CJK word in parens"),
    ("园区发布招商地图(2025版)。", "edition in parens"),
    ("会议强调(以下为讲话要点)三个方面。", "long CJK note"),
    ("经济运行(月报)显示各项指标向好。", "report type in parens"),
    ("今年以来(截至六月底)新增市场主体两千户。", "date range in parens"),
    ("举办首届创新大赛(决赛)颁奖典礼。", "stage in parens"),
    ("完成投资(亿元)占年度计划的六成。", "unit in parens after converted chars"),
    ("全省排名(前十)的园区名单公布。", "rank in parens"),
    ("外资到账(美元)创历史新高。", "currency in parens"),
    ("企业名单(排名不分先后)如下。", "stock phrase in parens"),
    ("国际标准化组织(ISO)认证企业增加。", "ISO"),
    ("现场发放宣传资料(手册、折页)一千余份。", "list in parens"),
    ("园区总面积(平方公里)有所扩大。", "area unit"),
    ("新入驻企业(含个体工商户)三百家。", "(含…) after converted chars"),
    ("本次会议(第三次)审议通过两项议题。", "ordinal in parens"),
]

# Legitimate parentheses on clean Simplified text (no artifact anywhere): input == expected.
LEGIT_CLEAN = [
    ("王喆(zhé)出席会议并讲话。", "deliberate gloss on a clean page"),
    ("李堃(kūn)当选为企业家联合会会长。", "deliberate gloss of a rare given name"),
    ("蓝叒叒(ruò)成为园区城市形象大使。", "gloss of a rare character"),
    ("王喆(zhé)和李堃(kūn)共同为基地揭牌。", "two deliberate glosses: below the threshold"),
    ("中新(南通)产业合作区建设加快推进。", "place name"),
    ("人工智能(AI)产业园正式开园。", "acronym"),
    ("园区生产总值(2024)公布。", "year"),
    ("(一)加强组织领导。", "numbered item at line start"),
    ("（二）强化要素保障。", "full-width numbered item"),
    ("管理办法（试行）印发实施。", "full-width (试行)"),
    ("苏锡通科技产业园区(以下简称苏锡通园区)召开会议。", "(以下简称…)"),
    ("英国专家李(Li)先生发表演讲。", "romanised surname"),
    ("专家王(Wang)博士介绍研究成果。", "romanised surname Wang"),
    ("李(li)先生出席。", "lowercase romanisation alone on a clean page"),
    ("招商热线(0513-68988888)全天开通。", "phone number"),
    ("各类市场主体(户)同比增长。", "unit"),
    ("主要指标(%)情况见下表。", "percent"),
    ("开展政府和社会资本合作(PPP)项目。", "acronym"),
    ("企业名单(排名不分先后)公布如下。", "stock phrase"),
    ("会议要求(一是、二是)两个方面。", "CJK list"),
    ("园区官网(www.sxtpark.gov.cn)发布公告。", "URL"),
    ("采用发光二极管(led)照明。", "lowercase acronym"),
    ("第(a)项和第(b)项同时生效。", "letter items"),
    ("平台推出移动应用(app)。", "lowercase English word"),
    ("园区企业数(家)持续增加。", "unit after CJK"),
    ("长江(Yangtze)沿岸生态修复工程启动。", "English river name"),
    ("长(cháng)江沿岸生态修复工程启动。", "single deliberate tone gloss"),
    ("这个字读作乐(yuè)。", "single deliberate gloss"),
    ("会议纪要(第5期)印发。", "issue number"),
    ("项目(一期)竣工，项目(二期)开工。", "phases"),
    ("张三(男，汉族)任园区副主任。", "biographical note"),
    ("开发区(园区)联席会议召开。", "alias in parens"),
    ("园区(含托管镇)常住人口增长。", "(含…)"),
    ("企业所得税(减半征收)政策延续执行。", "policy note"),
    ("详见附件(略)。", "omitted attachment"),
    ("(注：数据来源于统计局)", "note in parens at line start"),
    ("本表(单位：亿元)由统计局提供。", "unit note"),
    ("座谈会(闭门)在管委会举行。", "CJK note"),
    ("区域全面经济伙伴关系协定(RCEP)生效实施。", "acronym"),
    ("公告(2025年第3号)发布。", "announcement number"),
    ("苏通(Sutong)大桥通车二十周年。", "romanised name"),
    ("行政审批局(政务服务中心)延长服务时间。", "alias"),
    ("第三季度(7-9月)经济运行平稳。", "month range"),
    ("省级以上(含省级)研发机构达到五十家。", "(含省级)"),
    ("答复意见(书面)已送达企业。", "form in parens"),
    ("园区(Park)英文网站上线。", "English word after CJK, capitalised"),
    ("阿(ā)姨们积极参加志愿活动。", "single gloss on a clean page"),
    ("请于十日内(含节假日)提交材料。", "(含节假日)"),
    ("园区内(外)企业均可申报。", "single-char parens"),
    ("李(Li)、王(Wang)两位专家受聘。", "two romanised surnames"),
    ("長(cháng)江沿岸生態修復工程啟動。", "single gloss on a Traditional clean page"),
    ("園區(yuánqū)一詞出自規劃文件。", "two-syllable gloss is not a single reading"),
]

EDGE_ANNOTATED = [
    # (mirror input written by hand, expected, note)
    ("園(yuán)區(qū)管(guǎn)委(wěi)會(huì)政(zheng)(zheng)(zheng)策", "園區管委會政策",
     "repeated toneless groups on a page with tone marks"),
    ("拉長(zhǎng)產(chǎn)業(yè)鏈(liàn)條(tiáo)", "拉長產業鏈條", "first reading where context wants cháng"),
    ("增長(cháng)與(yǔ)發(fā)展(zhǎn)", "增長與發展", "other reading of 長"),
    ("園（yuán）區（qū）經（jīng）濟（jì）", "園區經濟", "full-width parentheses"),
    ("園(yuan)區(qu)經(jing)濟(ji)發(fa)展(zhan)", "園區經濟發展", "six toneless annotations alone"),
    ("綠(lǜ)色(sè)發(fā)展(zhǎn)綠(lv)化(huà)", "綠色發展綠化", "ü written as ü and as v"),
    ("綠(lǚ)色(sè)", "綠(lǚ)色(sè)", "wrong tone of 綠 and only one valid annotation: kept"),
    ("挑起?fù)?dān)繼(jì)續(xù)", "挑起??繼續", "lost characters with the opening parenthesis eaten"),
    ("挑起?(fù)?(dān)繼(jì)續(xù)", "挑起??繼續", "lost characters with the parenthesis kept"),
    ("問題?ok)園(yuán)區(qū)會(huì)", "問題?ok)園區會", "?ok) is not a syllable: kept"),
    ("平臺(tái)(app)上(shàng)線(xiàn)運(yùn)行", "平臺(app)上線運行", "a real parenthesis right after an annotation"),
    ("英國(guó)專(zhuān)家(jiā)李(Li)說(shuō)", "英國專家李(Li)說", "capitalised romanisation kept"),
    ("英國(guó)專(zhuān)家(jiā)李(lǐ)說(shuō)", "英國專家李說", "tone-marked reading of 李 on an annotated page is the artifact"),
    ("中新(南通)產(chǎn)業(yè)園(yuán)", "中新(南通)產業園", "real parentheses with annotations after"),
    ("(以下簡(jiǎn)稱(chēng)蘇(sū)錫(xī)通(tōng)園(yuán)區(qū))", "(以下簡稱蘇錫通園區)",
     "annotations inside real parentheses"),
    ("2024年(nián)報(bào)告(gào)發(fā)佈(bù)", "2024年報告發佈", "annotation after a character the mirror did not convert"),
    ("會(huì)議(yì)(2024)紀(jì)要(yào)", "會議(2024)紀要", "year in parentheses after an annotation"),
    ("園(yuán)區(qū)(AI)產(chǎn)業(yè)", "園區(AI)產業", "acronym right after an annotation"),
    ("經(jīng)濟(jì)(一)發(fā)展(zhǎn)", "經濟(一)發展", "numbered item after an annotation"),
    ("蘇(sū)錫(xī)通(tōng)(Suxitong)", "蘇錫通(Suxitong)", "romanisation after an annotation"),
]


def mirror(simplified: str, rng: random.Random, style: str) -> tuple[str, str]:
    """(mirror input, expected Traditional) for an authored Simplified sentence."""
    conv = opencc.OpenCC("s2t")
    trad = conv.convert(simplified)
    assert len(trad) == len(simplified), simplified
    # one annotation alone is indistinguishable from a deliberate gloss: write longer sentences
    assert sum(a != b for a, b in zip(simplified, trad)) >= 2, simplified
    context = [r[0] for r in pinyin(simplified, style=Style.TONE)]
    out = []
    expected = []
    for i, (s_ch, t_ch) in enumerate(zip(simplified, trad)):
        if s_ch == t_ch or not ("\u4e00" <= t_ch <= "\u9fff"):
            out.append(t_ch)
            expected.append(t_ch)
            continue
        readings = pinyin(t_ch, style=Style.TONE, heteronym=True)[0]
        reading = readings[0]
        if style == "context" and context[i] != s_ch:
            reading = context[i]
        elif style == "toneless":
            reading = pinyin(t_ch, style=Style.NORMAL)[0][0]
        elif style == "mixed" and rng.random() < 0.4:
            reading = pinyin(t_ch, style=Style.NORMAL)[0][0]
        elif style == "v":
            reading = reading.replace("ü", "v").replace("ǚ", "v").replace("ǜ", "v").replace("ǘ", "v").replace("ǖ", "v")
        group = f"({reading})"
        if style == "fullwidth":
            group = f"（{reading}）"
        elif style == "repeated" and rng.random() < 0.3:
            group = group * rng.choice((2, 3))
        if style == "lost" and rng.random() < 0.15:
            out.append("?" + (group[1:] if rng.random() < 0.5 else group))
            expected.append("?")
            continue
        out.append(t_ch + group)
        expected.append(t_ch)
    return "".join(out), "".join(expected)


STYLES = ["first"] * 6 + ["context"] * 3 + ["fullwidth", "repeated", "mixed", "v", "lost"]


def main() -> int:
    rng = random.Random(20241222)
    rows: list[tuple[str, str, str]] = []
    for sentence in filter(None, SENTENCES):
        style = rng.choice(STYLES)
        source, expected = mirror(sentence, rng, style)
        rows.append((source, expected, f"annotated sentence, style {style}"))
    for sentence, note in LEGIT_IN_ANNOTATED:
        source, expected = mirror(sentence, rng, "first")
        rows.append((source, expected, f"legit: {note} (annotated page)"))
    for sentence, note in LEGIT_CLEAN:
        rows.append((sentence, sentence, f"legit: {note} (clean page)"))
    for source, expected, note in EDGE_ANNOTATED:
        rows.append((source, expected, f"edge: {note}"))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                            escapechar="\\")
        writer.writerow(("input", "expected", "note"))
        writer.writerows(rows)
    print(f"{len(rows)} cases → {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
