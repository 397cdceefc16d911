"""The demo newsroom's content: the founding stories of FACTS.md, in the newsroom's own words.

Pure data; `articles/demo.py` turns it into rows.
"""

import datetime

UTC = datetime.UTC
CST = datetime.timezone(datetime.timedelta(hours=8))

SECTIONS = ["Technology", "Automotive", "Smartphones", "Financials", "Healthcare"]

# Section names on the Dutch and Turkish pages (editable in the admin).
SECTION_TRANSLATIONS = {
    "Technology": {"nl": "Technologie", "tr": "Teknoloji"},
    "Automotive": {"nl": "Auto's", "tr": "Otomotiv"},
    "Smartphones": {"nl": "Smartphones", "tr": "Akıllı telefonlar"},
    "Financials": {"nl": "Financiën", "tr": "Finans"},
    "Healthcare": {"nl": "Gezondheidszorg", "tr": "Sağlık"},
}

# Every native name below is simplified Chinese (mainland people and companies).
NATIVE_NAME_LANGUAGE = "zh-Hans"

# slug: (name, native name, aliases, bio)
PEOPLE = {
    "lei-jun": (
        "Lei Jun",
        "雷军",
        [],
        "Founder, chair and chief executive of Xiaomi. He ran Kingsoft as CEO from 1998 to "
        "2007, chairs it still, and has chaired four listed companies.",
    ),
    "manu-kumar-jain": (
        "Manu Kumar Jain",
        "",
        ["Manu Jain"],
        "Former vice-president of Xiaomi Group who built Xiaomi India from a one-person office "
        "and led it for more than nine years. Before Xiaomi he co-founded the online fashion "
        "retailer Jabong.",
    ),
    "wang-hua": ("Wang Hua", "", [], "Public-relations manager at Xiaomi."),
    "zeng-xuezhong": (
        "Zeng Xuezhong",
        "",
        [],
        "Vice-president of Xiaomi Group and president of its cellphone unit since July 2020, "
        "reporting directly to Lei Jun.",
    ),
    "wang-xiang": (
        "Wang Xiang",
        "王翔",
        [],
        "President of Xiaomi Group since the senior-management reshuffle at the end of 2019.",
    ),
    "zou-tao": ("Zou Tao", "邹涛", [], "Leads the new generation of management at Kingsoft."),
    "yingwei-fu": ("Yingwei Fu", "", [], "Reporter covering Chinese technology companies."),
    "jack-ma": ("Jack Ma", "马云", ["Ma Yun"], "Founder of Alibaba, since retired from it."),
    "liu-qiangdong": (
        "Liu Qiangdong",
        "刘强东",
        ["Richard Liu"],
        "Founder of JD.com. Since 2019 he has stepped down from more than 40 positions at "
        "companies JD.com controls.",
    ),
}

# slug: (name, native name, aliases, tickers, parent slug, description)
COMPANIES = {
    "xiaomi": (
        "Xiaomi Group",
        "小米集团",
        ["Xiaomi", "Xiaomi Corporation"],
        ["1810:HKEX"],
        None,
        "Chinese maker of smartphones and connected devices, led by its founder Lei Jun.",
    ),
    "xiaomi-india": ("Xiaomi India", "", [], [], "xiaomi", "Xiaomi's business in India."),
    "xiaomi-international": (
        "Xiaomi International",
        "",
        [],
        [],
        "xiaomi",
        "The team that runs Xiaomi's business outside mainland China.",
    ),
    "xiaomi-automobile": (
        "Xiaomi Automobile Co., Ltd.",
        "",
        ["Xiaomi Automobile"],
        [],
        "xiaomi",
        "Xiaomi's electric-vehicle company, registered on 1 September 2021.",
    ),
    "xiaomi-automobile-technology": (
        "Xiaomi Automobile Technology Co., Ltd.",
        "",
        ["Xiaomi Automobile Technology"],
        [],
        "xiaomi",
        "",
    ),
    "xiaomi-technology-wuhan": (
        "Xiaomi Technology (Wuhan) Co., Ltd.",
        "",
        ["Xiaomi Technology (Wuhan)", "Xiaomi Wuhan"],
        [],
        "xiaomi",
        "",
    ),
    "shanghai-xiaomi-finance": (
        "Shanghai Xiaomi Finance Information Service Co., Ltd.",
        "",
        ["Shanghai Xiaomi Finance Information Service", "Xiaomi Finance"],
        [],
        "xiaomi",
        "",
    ),
    "xiaomi-credit-management": (
        "Xiaomi Credit Management Co., Ltd.",
        "",
        ["Xiaomi Credit Management"],
        [],
        "xiaomi",
        "",
    ),
    "xiaomi-electronic-software": (
        "Xiaomi Electronic Software",
        "",
        [],
        [],
        "xiaomi",
        "Oversees Xiaomi's consumer-finance business: payments and digital wallets.",
    ),
    "xiaomi-youpin": (
        "Xiaomi YouPin",
        "",
        ["YouPin"],
        [],
        "xiaomi",
        "Xiaomi's crowdfunding platform in China.",
    ),
    "kingsoft": (
        "Kingsoft Corporation",
        "金山软件",
        ["Kingsoft"],
        ["3888:HKEX"],
        None,
        "Chinese software group chaired by Lei Jun.",
    ),
    "kingsoft-office": (
        "Kingsoft Office",
        "",
        [],
        ["688111:SH"],
        "kingsoft",
        "Office-software company spun off from Kingsoft.",
    ),
    "kingsoft-cloud": (
        "Kingsoft Cloud",
        "",
        [],
        ["KC:NASDAQ"],
        "kingsoft",
        "Cloud-services company spun off from Kingsoft.",
    ),
    "chengdu-beida": (
        "Chengdu Beida Assets Management Co., Ltd.",
        "",
        ["Chengdu Beida Assets Management", "Chengdu Beida"],
        [],
        None,
        "",
    ),
    "jabong": ("Jabong", "", [], [], None, "Indian online fashion retailer."),
    "alibaba": ("Alibaba", "阿里巴巴", ["Alibaba Group"], [], None, "Chinese e-commerce group."),
    "jd-com": ("JD.com", "京东", ["JD"], ["JD:NASDAQ"], None, "Chinese e-commerce group."),
    "apple": ("Apple", "", ["Apple Inc."], [], None, "American maker of the iPhone."),
    "canalys": ("Canalys", "", [], [], None, "Technology market analysts."),
    "tianyancha": ("Tianyancha", "天眼查", [], [], None, "Chinese business-data aggregator."),
    "gasgoo": ("Gasgoo", "", [], [], None, "News service on China's car industry."),
}

D, M, Y, U = "day", "month", "year", "unknown"

# (person, company, title, start, start precision, end, end precision, ending, successor,
#  source story keys, note)
POSITIONS = [
    ("lei-jun", "kingsoft", "Chief executive", datetime.date(1998, 1, 1), Y,
     datetime.date(2007, 1, 1), Y, "ended", None, ["kingsoft"], ""),
    ("lei-jun", "kingsoft", "Chair", None, U, None, U, "held", None, ["kingsoft"], ""),
    ("lei-jun", "kingsoft", "Executive director", None, U, datetime.date(2020, 6, 20), D,
     "resigned", None, ["kingsoft"], "Reported by Tianyancha on 20 June 2020."),
    ("lei-jun", "xiaomi", "Founder and chief executive", None, U, None, U, "held", None,
     ["cars", "ev"], ""),
    ("lei-jun", "xiaomi", "Chair", None, U, None, U, "held", None, ["kingsoft"], ""),
    ("lei-jun", "xiaomi-automobile", "Legal representative", datetime.date(2021, 9, 1), D,
     None, U, "held", None, ["cars"], "The company completed its registration that day."),
    ("lei-jun", "shanghai-xiaomi-finance", "Board member", None, U,
     datetime.date(2021, 10, 15), D, "resigned", None, ["cars"], ""),
    ("lei-jun", "xiaomi-credit-management", "Registered officer", None, U,
     datetime.date(2021, 10, 20), D, "removed", None, ["cars"],
     "The records name his removal, not the role."),
    ("lei-jun", "chengdu-beida", "Executive director", None, U, datetime.date(2021, 10, 21), D,
     "resigned", None, ["cars"], ""),
    ("lei-jun", "xiaomi-automobile-technology", "Manager and executive director",
     datetime.date(2021, 11, 19), D, None, U, "held", None, ["cars"], ""),
    ("lei-jun", "xiaomi-technology-wuhan",
     "Legal representative, executive director and general manager", None, U,
     datetime.date(2021, 12, 7), D, "replaced", "zeng-xuezhong", ["cars"], ""),
    ("lei-jun", "xiaomi-youpin", "General manager", None, U, datetime.date(2022, 4, 1), M,
     "resigned", None, ["ev"], "He still holds shares in YouPin."),
    ("lei-jun", "xiaomi-electronic-software", "Chairman", None, U, datetime.date(2022, 1, 1), Y,
     "resigned", None, ["ev"], ""),
    ("manu-kumar-jain", "jabong", "Co-founder", None, U, None, U, "unknown", None, ["manu"], ""),
    ("manu-kumar-jain", "xiaomi-india", "Managing director", datetime.date(2014, 1, 1), Y,
     datetime.date(2023, 1, 1), Y, "resigned", None, ["manu"],
     "Started Xiaomi in India as a one-person team."),
    ("manu-kumar-jain", "xiaomi", "Vice-president", None, U, datetime.date(2023, 1, 1), Y,
     "resigned", None, ["manu"], ""),
    ("manu-kumar-jain", "xiaomi-international", "Member of the international team",
     datetime.date(2021, 7, 1), M, datetime.date(2023, 1, 1), Y, "resigned", None, ["manu"],
     "Moved abroad to join the team."),
    ("wang-hua", "xiaomi", "Public-relations manager", None, U, None, U, "held", None,
     ["cars"], ""),
    ("zeng-xuezhong", "xiaomi", "Vice-president", datetime.date(2020, 7, 1), M, None, U, "held",
     None, ["cars"], "Also president of the cellphone unit, reporting to Lei Jun."),
    ("zeng-xuezhong", "xiaomi-technology-wuhan",
     "Legal representative, executive director and general manager",
     datetime.date(2021, 12, 7), D, None, U, "held", None, ["cars"], ""),
    ("wang-xiang", "xiaomi", "President", datetime.date(2019, 12, 1), M, None, U, "held", None,
     ["kingsoft"], "Appointed in the reshuffle at the end of 2019."),
    ("zou-tao", "kingsoft", "Head of the new management team", None, U, None, U, "held", None,
     ["kingsoft"], ""),
    ("jack-ma", "alibaba", "Founder", None, U, None, U, "retired", None, ["kingsoft"], ""),
    ("liu-qiangdong", "jd-com", "Founder", None, U, None, U, "held", None, ["kingsoft"], ""),
]  # fmt: skip

# key: (speaker, language, text, rendered_from, said_on, precision, context, {lang: text})
QUOTES = {
    "change": (
        "manu-kumar-jain", "en", "Change is the only constant in life.", "",
        datetime.date(2023, 1, 1), Y, "Instagram post announcing his departure from Xiaomi",
        {"nl": "Verandering is de enige constante in het leven.",
         "tr": "Hayatta değişmeyen tek şey değişimdir."},
    ),
    "nothing-impossible": (
        "manu-kumar-jain", "en",
        "Nothing is impossible when people with the right intent come together.", "nl",
        datetime.date(2023, 1, 1), Y,
        "Instagram post announcing his departure; known here only through the Dutch rendering",
        {"nl": "Niets is onmogelijk als mensen met de juiste intentie samenkomen."},
    ),
    "something-wonderful": (
        "manu-kumar-jain", "en", "Always believe that something wonderful is about to happen!",
        "", datetime.date(2023, 1, 1), Y,
        "Closing line of his Instagram post; a well-known Xiaomi motto",
        {"nl": "Geloof altijd dat er iets geweldigs gaat gebeuren!"},
    ),
    "vehicle-making": (
        "wang-hua", "en", "signifies Xiaomi's accelerated vehicle making development", "",
        datetime.date(2021, 12, 1), M, "Comment on Lei Jun's resignations, reported by Gasgoo",
        {},
    ),
    "whetstones": (
        "lei-jun", "en", "Our peers are our role models and our whetstones.", "zh",
        datetime.date(2021, 8, 1), M, "Open letter to Xiaomi colleagues, translated by Xiaomi",
        {"tr": "Rakiplerimiz hem örnek aldığımız kişiler hem de bizi bileyen taşlardır.",
         "nl": "Onze concurrenten zijn ons voorbeeld en onze slijpsteen."},
    ),
    "full-speed": (
        "lei-jun", "en", "Full speed ahead!", "zh", datetime.date(2021, 8, 1), M,
        "Open letter to Xiaomi colleagues, translated by Xiaomi",
        {"tr": "Tam yol ileri!", "nl": "Volle kracht vooruit!"},
    ),
    "mission": (
        "lei-jun", "en",
        "to build amazing products with honest prices so that everyone in the world can enjoy "
        "a better life through innovative technology", "zh", datetime.date(2021, 8, 1), M,
        "Xiaomi's mission, restated in the open letter",
        {"tr": "dürüst fiyatlı harika ürünler yaparak dünyadaki herkesin yenilikçi teknoloji "
               "sayesinde daha iyi bir hayat sürmesini sağlamak"},
    ),
}  # fmt: skip

# The five founding stories in their original languages, plus one piece of our own.
# key: dict of fields; "people"/"companies"/"quotes"/"sections" are slugs/keys.
STORIES = {
    "manu": {
        "language": "nl",
        "title": "Manu Kumar Jain verlaat Xiaomi na negen jaar",
        "slug": "manu-kumar-jain-verlaat-xiaomi",
        "standfirst": "De man die Xiaomi India vanuit een piepklein kantoor opbouwde tot een "
        "van de populairste merken van het land, neemt afscheid. Hij wil iets nieuws beginnen.",
        "body": """
<p>Manu Kumar Jain, oud-vicepresident van Xiaomi Group en jarenlang directeur van Xiaomi India, stopt bij het bedrijf. Hij maakte zijn vertrek bekend in een bericht op Instagram: een paar alinea's tekst, over een foto heen geschreven.</p>
<p>Jain kwam in 2013 met Xiaomi in aanraking, nadat hij de Indiase online modewinkel Jabong mee had opgericht en groot had gemaakt. Het motto van Xiaomi, „Innovation for everyone”, sprak hem aan. In 2014 trad hij in dienst om het merk in India op te bouwen.</p>
<p>Dat begon klein: één persoon in een heel klein kantoor, het kleinste merk tussen honderden smartphonemerken op de Indiase markt. Onder zijn leiding groeide Xiaomi uit tot een van de meest geliefde merken van het land. Hij leidde de Indiase tak ruim negen jaar.</p>
<p>In juli 2021 verhuisde hij naar het buitenland om bij het internationale team van Xiaomi te gaan werken. Hij schrijft trots te zijn op het Indiase leiderschapsteam dat het werk voortzet. „Verandering is de enige constante in het leven”, aldus Jain.</p>
<p>Wat hij nu gaat doen? Eerst een tijdje vrij nemen, daarna iets nieuws bouwen, het liefst in een andere sector. Wie ideeën heeft die miljoenen mensen verder kunnen helpen, nodigt hij uit om contact op te nemen. „Niets is onmogelijk als mensen met de juiste intentie samenkomen.”</p>
<p>Hij sluit af met de bekende Xiaomi-slogan: „Geloof altijd dat er iets geweldigs gaat gebeuren!”</p>
""",
        "published_at": datetime.datetime(2023, 1, 16, 9, 30, tzinfo=UTC),
        "source": "",
        "dateline": "",
        "people": ["manu-kumar-jain"],
        "companies": ["xiaomi", "xiaomi-india", "xiaomi-international", "jabong"],
        "quotes": ["change", "nothing-impossible", "something-wonderful"],
        "sections": ["Technology", "Smartphones"],
        "storylines": ["xiaomi-leadership-changes", "xiaomi-rise"],
        "image": (
            "Illustration: Xiaomi India",
            "Illustration of an orange smartphone outline with the words 'Xiaomi India'",
            "Illustration: Newsroom",
            (255, 103, 0),
        ),
        "owner": "writer",
    },
    "cars": {
        "language": "en",
        "title": "Lei Jun gives up company roles to put Xiaomi's car business first",
        "slug": "lei-jun-gives-up-roles-for-xiaomi-cars",
        "standfirst": "Xiaomi's founder has left the boards of several group companies in "
        "recent weeks. The company says it shows how fast its car plans are moving.",
        "body": """
<p>Lei Jun, founder and chief executive of Xiaomi, has stepped down as executive director of several companies in the Xiaomi orbit so that he can spend his time on the group's car business, according to a report by Gasgoo.</p>
<p>Wang Hua, Xiaomi's public-relations manager, described the changes as ordinary corporate housekeeping. He said the move <q>signifies Xiaomi's accelerated vehicle making development</q>, adding that the project needs Lei Jun's full attention at this stage.</p>
<h2>The changes, in order</h2>
<ul>
<li>1 September: Xiaomi Automobile Co., Ltd. completed its business registration, with Lei Jun as legal representative.</li>
<li>15 October: he left the board of Shanghai Xiaomi Finance Information Service Co., Ltd.</li>
<li>20 October: he was removed from Xiaomi Credit Management Co., Ltd.</li>
<li>21 October: he resigned as executive director of Chengdu Beida Assets Management Co., Ltd.</li>
<li>19 November: he became manager and executive director of Xiaomi Automobile Technology Co., Ltd.</li>
<li>7 December: Zeng Xuezhong replaced him as legal representative, executive director and general manager of Xiaomi Technology (Wuhan) Co., Ltd.</li>
</ul>
<p>Zeng Xuezhong was named vice-president of Xiaomi Group and president of its cellphone unit in July 2020, and reports directly to Lei Jun.</p>
<p>In the past week alone, Lei Jun's name disappeared from the records of four more Xiaomi-related companies.</p>
""",
        "published_at": datetime.datetime(2021, 12, 10, 8, 0, tzinfo=CST),
        "source": "Gasgoo",
        "dateline": "Beijing",
        "people": ["lei-jun", "wang-hua", "zeng-xuezhong"],
        "companies": [
            "xiaomi",
            "xiaomi-automobile",
            "xiaomi-automobile-technology",
            "shanghai-xiaomi-finance",
            "xiaomi-credit-management",
            "chengdu-beida",
            "xiaomi-technology-wuhan",
            "gasgoo",
        ],
        "quotes": ["vehicle-making"],
        "sections": ["Automotive", "Technology"],
        "storylines": ["lei-jun-hands-over-his-roles", "xiaomi-leadership-changes"],
        "image": (
            "Lei Jun",
            "Orange banner with the words 'Xiaomi Auto'",
            "Photo credit: Xiaomi",
            (230, 80, 20),
        ),
        "owner": "writer",
    },
    "ev": {
        "language": "tr",
        "title": "Xiaomi'nin CEO'su elektrikli otomobil için bir görevinden daha istifa etti",
        "slug": "xiaomi-ceosu-elektrikli-arac-icin-istifa-ediyor",
        "standfirst": "Lei Jun, elektrikli otomobil üretimini en büyük önceliği yaptıktan sonra "
        "şirket içindeki görevlerini tek tek bırakmayı sürdürüyor.",
        "body": """
<p>Xiaomi'nin kurucu ortağı ve CEO'su Lei Jun, elektrikli otomobil projesine odaklanmak için görev bırakmaya devam ediyor. Son olarak Xiaomi Electronic Software'in yönetim kurulu başkanlığından istifa etti. Bu şirket, Xiaomi'nin ödeme ve dijital cüzdan gibi tüketici finansmanı işlerini yönetiyor.</p>
<p>Lei Jun aynı yılın nisan ayında da Xiaomi'nin Çin'deki kitlesel fonlama platformu Xiaomi YouPin'in genel müdürlüğünden ayrılmıştı. YouPin'deki hisselerini ise elinde tutuyor.</p>
<p>Xiaomi'nin elektrikli araç şirketi Xiaomi Automobile'da araştırma ve geliştirme alanında şimdiden 1.000'den fazla kişi çalışıyor. Şirketin ilk otomobilinin 2024'te Çin'de satışa çıkması planlanıyor.</p>
""",
        "published_at": datetime.datetime(2022, 6, 14, 10, 0, tzinfo=UTC),
        "source": "",
        "dateline": "",
        "people": ["lei-jun"],
        "companies": ["xiaomi", "xiaomi-electronic-software", "xiaomi-youpin", "xiaomi-automobile"],
        "quotes": [],
        "sections": ["Automotive"],
        "storylines": ["lei-jun-hands-over-his-roles"],
        "image": (
            "Elektrikli otomobil",
            "Dark blue banner with the outline of a car",
            "Illustration: Newsroom",
            (30, 60, 120),
        ),
        "owner": "writer",
    },
    "kingsoft": {
        "language": "en",
        "title": "Lei Jun steps down as executive director of Kingsoft",
        "slug": "lei-jun-steps-down-kingsoft-executive-director",
        "standfirst": "Xiaomi's founder leaves the board role at the software group he once "
        "ran, but keeps every position he holds at Xiaomi.",
        "body": """
<p>Lei Jun has resigned as an executive director of Kingsoft Corporation (3888:HKEX), according to records published on 20 June by the business-data service Tianyancha. His roles at Xiaomi are unaffected.</p>
<p>Lei Jun ran Kingsoft as chief executive from 1998 to 2007 and is its chair. The group has since spun off Kingsoft Office (688111:SH) and Kingsoft Cloud (KC:NASDAQ). Over his career he has chaired four listed companies, among them Xiaomi (1810:HKEX).</p>
<h2>A new generation</h2>
<p>Both companies have been handing power to younger managers. At the end of 2019 Xiaomi reshuffled its senior leadership and made Wang Xiang president of Xiaomi Group. At Kingsoft, the new management team is led by Zou Tao.</p>
<p>He is not the only Chinese founder stepping back. After Jack Ma retired from Alibaba, Liu Qiangdong, who founded JD.com (JD:NASDAQ), has left more than 40 positions at companies JD.com controls since 2019.</p>
""",
        "published_at": datetime.datetime(2020, 6, 21, 17, 5, tzinfo=CST),
        "source": "Tianyancha",
        "dateline": "",
        "authors": ["yingwei-fu"],
        "people": ["lei-jun", "wang-xiang", "zou-tao", "jack-ma", "liu-qiangdong"],
        "companies": [
            "kingsoft",
            "kingsoft-office",
            "kingsoft-cloud",
            "xiaomi",
            "alibaba",
            "jd-com",
            "tianyancha",
        ],
        "quotes": [],
        "sections": ["Healthcare", "Technology", "Financials"],
        "storylines": ["lei-jun-hands-over-his-roles", "xiaomi-leadership-changes"],
        "image": (
            "Kingsoft",
            "Grey banner with the word 'Kingsoft'",
            "Kingsoft/Weibo",
            (90, 100, 110),
        ),
        "owner": "editor",
    },
    "letter": {
        "language": "en",
        "title": "Lei Jun's open letter: Xiaomi is the world's No. 2 smartphone maker",
        "slug": "lei-jun-open-letter-xiaomi-world-number-two",
        "standfirst": "With 17% of the global market in the second quarter, Xiaomi passed Apple "
        "for the first time. Its founder tells staff how it got there, and what comes next.",
        "body": """
<p>In an open letter to his colleagues, Xiaomi founder Lei Jun marked a milestone: according to Canalys, Xiaomi took 17% of the world's smartphone market in the second quarter, overtaking Apple to rank second worldwide for the first time.</p>
<p>The climb was not a straight line. Xiaomi reached third place in the third quarter of 2014, then dropped out of the top five. A thorough review of the business began in 2016; by the third quarter of 2020 it was back at No. 3, and two quarters later it was No. 2. <q>Our peers are our role models and our whetstones</q>, he writes.</p>
<h2>Engineers and chips</h2>
<p>The strategy is "Smartphone × AIoT". Research spending came close to RMB 10 billion in 2020 and is expected to pass RMB 13 billion this year, when the company plans to hire more than 5,000 engineers. Lei Jun points to the Surge C1 image-processing chip as an example of the work.</p>
<p>Xiaomi now sells in more than 100 markets outside China, which bring in close to half its revenue, and leads by smartphone share in more than 10 of them.</p>
<p>The letter also lists rewards for staff: the Incentive Plan for Young Engineers has paid out to 3,904 engineers, and a new ten-year incentive programme covers 122 people. He restates the company's mission, <q>to build amazing products with honest prices so that everyone in the world can enjoy a better life through innovative technology</q>, and ends: <q>Full speed ahead!</q></p>
""",
        "published_at": datetime.datetime(2021, 8, 16, 12, 0, tzinfo=CST),
        "source": "Xiaomi (open letter, translated from Chinese)",
        "dateline": "",
        "people": ["lei-jun"],
        "companies": ["xiaomi", "canalys", "apple"],
        "quotes": ["whetstones", "full-speed", "mission"],
        "sections": ["Smartphones", "Technology"],
        "storylines": ["xiaomi-rise"],
        "image": (
            "No. 2",
            "Orange banner reading 'No. 2' over a rising line",
            "Illustration: Newsroom",
            (255, 120, 30),
        ),
        "owner": "editor",
    },
}

# A draft a writer has sent to the editors, not yet reviewed.
REVIEW_DRAFT = {
    "language": "en",
    "title": "Lei Jun's roles, one by one",
    "slug": "lei-jun-roles-one-by-one",
    "standfirst": "From Kingsoft to Xiaomi's car company: a timeline of the posts Xiaomi's "
    "founder has taken on and handed over.",
    "body": """
<p>Between June 2020 and 2022 Lei Jun left a string of posts across Kingsoft and the Xiaomi group, while taking on new ones in Xiaomi's car business. This explainer lists them in order, each with the story that reported it.</p>
<p>The clearest pattern: the roles he kept or took are in cars, at Xiaomi Automobile and its sister company, while the ones he gave up are in finance and in older group companies. In Wuhan, Zeng Xuezhong took over the posts he left.</p>
""",
    "people": ["lei-jun", "zeng-xuezhong"],
    "companies": ["xiaomi", "kingsoft", "xiaomi-automobile"],
    "sections": ["Automotive"],
    "storylines": ["lei-jun-hands-over-his-roles"],
    "owner": "writer",
}

STORYLINES = {
    "lei-jun-hands-over-his-roles": (
        "Lei Jun hands over his roles",
        "How Xiaomi's founder gave up posts at Kingsoft and across the Xiaomi group to put "
        "the car business first.",
        ["kingsoft", "cars", "ev"],
    ),
    "xiaomi-leadership-changes": (
        "Xiaomi's leadership changes",
        "Who leads Xiaomi and its businesses, and who has moved on.",
        ["kingsoft", "cars", "manu"],
    ),
    "xiaomi-rise": (
        "Xiaomi's rise",
        "From a start-up to the world's second-largest smartphone maker.",
        ["manu", "letter"],
    ),
}

# Story-thread titles and descriptions on the Dutch and Turkish pages.
STORYLINE_TRANSLATIONS = {
    "lei-jun-hands-over-his-roles": {
        "nl": (
            "Lei Jun draagt zijn functies over",
            "Hoe de oprichter van Xiaomi functies bij Kingsoft en in de hele Xiaomi-groep "
            "opgaf om het autobedrijf voorrang te geven.",
        ),
        "tr": (
            "Lei Jun görevlerini devrediyor",
            "Xiaomi'nin kurucusu, otomobil işine öncelik vermek için Kingsoft'taki ve Xiaomi "
            "grubundaki görevlerini nasıl bıraktı.",
        ),
    },
    "xiaomi-leadership-changes": {
        "nl": (
            "Leiderschapswisselingen bij Xiaomi",
            "Wie Xiaomi en zijn bedrijfsonderdelen leidt, en wie er is vertrokken.",
        ),
        "tr": (
            "Xiaomi'de yönetim değişiklikleri",
            "Xiaomi'yi ve şirketlerini kimin yönettiği, kimin ayrıldığı.",
        ),
    },
    "xiaomi-rise": {
        "nl": (
            "De opkomst van Xiaomi",
            "Van start-up tot de op één na grootste smartphonemaker ter wereld.",
        ),
        "tr": (
            "Xiaomi'nin yükselişi",
            "Bir girişimden dünyanın en büyük ikinci akıllı telefon üreticisine.",
        ),
    },
}

# Translations: (story key, language, fields, published offset in days or None for draft,
# owner). State after loading is noted per line.
TRANSLATIONS = [
    # Up to date: English version of the Dutch Manu story.
    (
        "manu",
        "en",
        {
            "title": "Manu Kumar Jain leaves Xiaomi after nine years",
            "slug": "manu-kumar-jain-leaves-xiaomi",
            "standfirst": "The man who grew Xiaomi India from a tiny office into one of the "
            "country's best-loved brands is moving on, to build something new.",
            "body": """
<p>Manu Kumar Jain, former vice-president of Xiaomi Group and long-time head of Xiaomi India, is leaving the company. He announced it on Instagram, in a few paragraphs written over a photo.</p>
<p>Jain came across Xiaomi in 2013, after co-founding the Indian online fashion retailer Jabong and helping it grow. Xiaomi's motto, "Innovation for everyone", won him over, and in 2014 he joined to start the brand's journey in India.</p>
<p>It started small: one person in a tiny office, the smallest of hundreds of smartphone brands in India. Under him Xiaomi became one of the country's most loved brands. He led the Indian business for more than nine years.</p>
<p>In July 2021 he moved abroad to join the Xiaomi International team. He says he is proud of the Indian leadership team carrying on. "Change is the only constant in life," he writes.</p>
<p>Next, he plans to take some time off and then build something new, preferably in a different industry, and he invites people with ideas that can empower millions to get in touch. "Nothing is impossible when people with the right intent come together."</p>
<p>He signs off with the familiar Xiaomi line: "Always believe that something wonderful is about to happen!"</p>
""",
        },
        1,
        "translator",
    ),
    # Up to date: English version of the Turkish EV story.
    (
        "ev",
        "en",
        {
            "title": "Xiaomi's CEO quits another role to focus on electric cars",
            "slug": "xiaomi-ceo-quits-another-role-for-electric-cars",
            "standfirst": "Lei Jun keeps handing over posts now that building electric cars is "
            "his first priority.",
            "body": """
<p>Lei Jun, Xiaomi's co-founder and chief executive, is still stepping down from roles so he can concentrate on electric-car production. The latest: he has resigned as chairman of Xiaomi Electronic Software, the company behind Xiaomi's consumer-finance business, such as payments and digital wallets.</p>
<p>In April of the same year he had already resigned as general manager of Xiaomi YouPin, the group's crowdfunding platform in China, though he still holds shares in it.</p>
<p>Xiaomi's electric-vehicle company, Xiaomi Automobile, already employs more than 1,000 people in research and development, and its first car is due to go on sale in China in 2024.</p>
""",
        },
        2,
        "translator",
    ),
    # Out of date: Dutch version of the Gasgoo story; the source is corrected afterwards.
    (
        "cars",
        "nl",
        {
            "title": "Lei Jun geeft functies op om voorrang te geven aan Xiaomi's auto's",
            "slug": "lei-jun-geeft-functies-op-voor-xiaomi-autos",
            "standfirst": "De oprichter van Xiaomi is de afgelopen weken uit het bestuur van "
            "meerdere groepsbedrijven gestapt.",
            "body": """
<p>Lei Jun, oprichter en topman van Xiaomi, is teruggetreden als bestuurder van verschillende bedrijven rond Xiaomi, zodat hij zich kan richten op de autotak van het concern, meldt Gasgoo.</p>
<p>Volgens Xiaomi-woordvoerder Wang Hua gaat het om normale bedrijfsvoering. De stap laat volgens hem zien dat Xiaomi vaart maakt met de ontwikkeling van auto's; het project heeft Lei Jun nu volledig nodig.</p>
<p>Op 7 december nam Zeng Xuezhong zijn functies over bij Xiaomi Technology (Wuhan) Co., Ltd.</p>
""",
        },
        3,
        "translator",
    ),
    # Up to date: Turkish version of the open letter.
    (
        "letter",
        "tr",
        {
            "title": "Lei Jun'dan açık mektup: Xiaomi dünyanın iki numarası",
            "slug": "lei-jun-acik-mektup-xiaomi-dunya-ikincisi",
            "standfirst": "İkinci çeyrekte pazarın yüzde 17'sini alan Xiaomi, ilk kez Apple'ı geçti.",
            "body": """
<p>Xiaomi'nin kurucusu Lei Jun, çalışma arkadaşlarına yazdığı açık mektupta önemli bir eşiği duyurdu: Canalys verilerine göre Xiaomi ikinci çeyrekte küresel akıllı telefon pazarının yüzde 17'sini alarak Apple'ı geride bıraktı ve ilk kez dünya ikincisi oldu.</p>
<p>Yol düz değildi. Xiaomi 2014'ün üçüncü çeyreğinde dünya üçüncüsü olmuş, ardından ilk beşin dışına düşmüştü. 2016'da kapsamlı bir yeniden değerlendirme başladı; 2020'nin üçüncü çeyreğinde yeniden üçüncü sıraya çıkan şirket, iki çeyrek sonra ikinciliğe yükseldi.</p>
<p>Şirket 2020'de araştırma ve geliştirmeye yaklaşık 10 milyar yuan harcadı; bu yıl bu rakamın 13 milyar yuanı aşması ve 5.000'den fazla mühendis alınması bekleniyor. Xiaomi bugün yurt dışında 100'den fazla pazarda satış yapıyor ve bunların 10'dan fazlasında akıllı telefon pazar payında birinci.</p>
<p>Mektup şu sözlerle bitiyor: "Tam yol ileri!"</p>
""",
        },
        1,
        "translator",
    ),
    # In progress: Dutch version of the Kingsoft story, still a draft.
    (
        "kingsoft",
        "nl",
        {
            "title": "Lei Jun stopt als uitvoerend bestuurder van Kingsoft",
            "slug": "lei-jun-stopt-als-bestuurder-kingsoft",
            "standfirst": "De oprichter van Xiaomi legt zijn bestuursfunctie bij Kingsoft neer.",
            "body": "<p>Lei Jun is teruggetreden als uitvoerend bestuurder van Kingsoft "
            "Corporation, meldt Tianyancha.</p>",
        },
        None,
        "translator",
    ),
    # Scheduled: Dutch version of the open letter, to appear three days after loading.
    (
        "letter",
        "nl",
        {
            "title": "Open brief van Lei Jun: Xiaomi is wereldwijd nummer twee",
            "slug": "open-brief-lei-jun-xiaomi-nummer-twee",
            "standfirst": "Met 17 procent van de wereldmarkt streefde Xiaomi Apple voor het eerst "
            "voorbij.",
            "body": """
<p>In een open brief aan zijn collega's meldt Xiaomi-oprichter Lei Jun dat het bedrijf volgens Canalys in het tweede kwartaal 17 procent van de wereldwijde smartphonemarkt had. Daarmee passeerde Xiaomi Apple en werd het voor het eerst de nummer twee van de wereld.</p>
<p>Hij besluit met: "Volle kracht vooruit!"</p>
""",
        },
        "scheduled",
        "translator",
    ),
]

# A correction made to a source after its translation was synced (makes it outdated).
SOURCE_CORRECTION = (
    "cars",
    "<p>Zeng Xuezhong was named vice-president of Xiaomi Group and president of its cellphone "
    "unit in July 2020, and reports directly to Lei Jun.</p>",
    "<p>Zeng Xuezhong, who took over the Wuhan roles, was named vice-president of Xiaomi Group "
    "and president of its cellphone unit in July 2020. He reports directly to Lei Jun.</p>",
)

USERS = [
    # username, password, role group, is_superuser, full name
    ("admin", "newsroom-admin", None, True, "Ada Admin"),
    ("editor", "newsroom-editor", "Editor", False, "Esther Editor"),
    ("writer", "newsroom-writer", "Writer", False, "Willem Writer"),
    ("translator", "newsroom-translator", "Translator", False, "Tuba Translator"),
]
