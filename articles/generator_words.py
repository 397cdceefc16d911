"""Words for the synthetic archive (`articles.generator`): lists, templates, and `Writer`.

All of it written for this project: tech-news flavoured, deliberately bland. (Names of
people and companies come from `people.generator`.) Languages other
than English, Dutch and Turkish borrow the English words (the archive is for measuring
size, not for reading).
"""

import random

SECTIONS = ["Cloud", "Chips", "Policy", "Start-ups", "Telecom"]
PLACES = [
    "Beijing", "Shenzhen", "Bangalore", "Amsterdam", "Istanbul", "Berlin", "Seoul", "Austin",
    "Taipei", "Singapore", "Eindhoven", "Ankara", "Lisbon", "Helsinki", "Nairobi", "Toronto",
]  # fmt: skip
SOURCES = ["Newsroom wire", "Company filing", "Earnings call", "Trade fair report", ""]
# Per language: the vocabulary that fills the templates. {c} company, {p} person (both
# links in bodies, plain text in titles), {x} product, {t} topic, {a} adjective,
# {n} a number, {y} a year, {l} a place.
WORDS = {
    "en": {
        "products": [
            "foldable phone",
            "battery plant",
            "chip design",
            "cloud region",
            "smart speaker",
            "electric saloon",
            "data centre",
            "satellite link",
            "payments app",
            "robot arm",
            "image sensor",
            "charging network",
            "operating system",
            "smartwatch",
            "modem",
            "drone",
            "language model",
            "server rack",
            "fibre network",
            "tablet",
        ],
        "topics": [
            "supply chain",
            "margins",
            "research budget",
            "export rules",
            "chip shortage",
            "privacy rules",
            "hiring plans",
            "price war",
            "market share",
            "patent dispute",
            "software updates",
            "battery costs",
            "roaming fees",
            "app store fees",
        ],
        "adjectives": [
            "cheaper",
            "faster",
            "quieter",
            "larger",
            "leaner",
            "bolder",
            "slower",
            "greener",
            "sharper",
            "smaller",
        ],
        "verbs": [
            "launches",
            "delays",
            "expands",
            "rethinks",
            "cuts prices of",
            "doubles down on",
            "pauses",
            "unveils",
            "scales back",
            "bets on",
        ],
        "titles": [
            "{c} {v} its {x}",
            "{c} {v} {x} in {l}",
            "{p} leaves {c} after {n} years",
            "{c} names {p} to lead its {x} business",
            "Why {c} is worried about its {t}",
            "{c} and the {t}: what changes in {y}",
            "{p} on {c}'s {a} {x}",
        ],
        "standfirsts": [
            "The move comes as rivals fight over {t} and a {a} {x}.",
            "Analysts expect {n} per cent growth, but the {t} still worries investors.",
            "Insiders say the plan was drawn up in {l} over {n} months.",
        ],
        "sentences": [
            "The company said the {x} would reach shops in {l} before the end of {y}.",
            "Analysts expect the {t} to weigh on results for at least {n} quarters.",
            "A spokesperson declined to say how many engineers work on the {x}.",
            "Rivals have answered with a {a} {x} of their own, priced {n} per cent lower.",
            "The {t} has been a recurring theme in every call with investors since {y}.",
            "Engineers in {l} are said to have rebuilt the {x} from scratch.",
            "Suppliers were told to prepare for orders of about {n} thousand units a month.",
            "Regulators in {l} are looking at the {t} and may publish rules next year.",
            "Early reviews call the {x} {a} than its predecessor, if not yet finished.",
            "The firm now spends close to {n} per cent of its revenue on research.",
            "Shares rose {n} per cent on the news before giving back part of the gain.",
            "Staff were told about the change in a short message on {y}'s first workday.",
            "Industry watchers see the {t} as the real test of the strategy.",
            "The {x} is built on a {a} platform that partners can license.",
            "Some customers in {l} complained about waiting {n} weeks for delivery.",
            "The plan depends on a {a} {x} that has yet to leave the laboratory.",
        ],
        "headings": [
            "What changes",
            "The numbers",
            "Why now",
            "What rivals do",
            "What comes next",
            "A long road",
            "The view from {l}",
        ],
        "leads": [
            "{p} told colleagues that {c} would focus on its {x} from now on.",
            "{c} confirmed in {y} that {p} will oversee the {x} business.",
            "In a note to staff, {p} said {c} had learnt from the {t}.",
        ],
        "list_items": [
            "{n} new jobs in {l}",
            "a {a} {x}",
            "a review of the {t}",
            "prices from {n} euros",
        ],
        "quotes": [
            "We build the {x} for everyone, not for a happy few.",
            "The {t} is a test, and we intend to pass it.",
            "Nothing about this {x} is finished until customers say so.",
        ],
        "more": "Read more: {link}",
    },
    "nl": {
        "products": [
            "vouwtelefoon",
            "batterijfabriek",
            "chipontwerp",
            "cloudregio",
            "slimme speaker",
            "elektrische sedan",
            "datacentrum",
            "satellietverbinding",
            "betaalapp",
            "robotarm",
            "beeldsensor",
            "laadnetwerk",
            "besturingssysteem",
            "slimme horloge",
        ],
        "topics": [
            "toeleveringsketen",
            "marges",
            "onderzoeksbudget",
            "exportregels",
            "chiptekort",
            "privacyregels",
            "personeelsplannen",
            "prijsoorlog",
            "marktaandeel",
            "octrooigeschil",
            "batterijkosten",
        ],
        "adjectives": ["goedkopere", "snellere", "stillere", "grotere", "slankere", "groenere"],
        "verbs": [
            "lanceert",
            "stelt uit",
            "breidt uit",
            "herziet",
            "verlaagt prijzen van",
            "zet in op",
            "onthult",
            "schroeft terug",
        ],
        "titles": [
            "{c} {v} {x}",
            "{c} {v} {x} in {l}",
            "{p} verlaat {c} na {n} jaar",
            "{c} benoemt {p} tot baas van {x}",
            "Waarom {c} zich zorgen maakt over {t}",
            "{c} en de {t}: wat verandert er in {y}",
        ],
        "standfirsts": [
            "De stap komt nu concurrenten strijden om {t} en een {a} {x}.",
            "Analisten verwachten {n} procent groei, maar de {t} baart zorgen.",
            "Volgens ingewijden is het plan in {l} bedacht, in {n} maanden.",
        ],
        "sentences": [
            "Het bedrijf zegt dat de {x} voor eind {y} in {l} in de winkel ligt.",
            "Analisten verwachten dat de {t} nog {n} kwartalen op de resultaten drukt.",
            "Een woordvoerder wil niet zeggen hoeveel ingenieurs aan de {x} werken.",
            "Concurrenten reageren met een {a} {x}, {n} procent goedkoper.",
            "De {t} komt sinds {y} in elk gesprek met beleggers terug.",
            "Ingenieurs in {l} zouden de {x} helemaal opnieuw hebben gebouwd.",
            "Leveranciers moeten rekenen op zo'n {n} duizend stuks per maand.",
            "Toezichthouders in {l} kijken naar de {t} en komen mogelijk met regels.",
            "De eerste recensies noemen de {x} {a} dan zijn voorganger.",
            "Het aandeel steeg {n} procent op het nieuws.",
            "Kenners zien de {t} als de echte toets voor de strategie.",
            "Sommige klanten in {l} wachtten {n} weken op hun bestelling.",
        ],
        "headings": ["Wat er verandert", "De cijfers", "Waarom nu", "Wat nu komt"],
        "leads": [
            "{p} vertelde collega's dat {c} zich voortaan op de {x} richt.",
            "{c} bevestigde dat {p} de {x} gaat leiden.",
        ],
        "list_items": ["{n} nieuwe banen in {l}", "een {a} {x}", "prijzen vanaf {n} euro"],
        "quotes": ["We bouwen de {x} voor iedereen.", "De {t} is een test die we halen."],
        "more": "Lees ook: {link}",
    },
    "tr": {
        "products": [
            "katlanabilir telefon",
            "batarya fabrikası",
            "çip tasarımı",
            "bulut bölgesi",
            "akıllı hoparlör",
            "elektrikli sedan",
            "veri merkezi",
            "uydu bağlantısı",
            "ödeme uygulaması",
            "robot kol",
            "görüntü sensörü",
            "şarj ağı",
            "akıllı saat",
        ],
        "topics": [
            "tedarik zinciri",
            "kâr marjları",
            "araştırma bütçesi",
            "ihracat kuralları",
            "çip krizi",
            "gizlilik kuralları",
            "fiyat savaşı",
            "pazar payı",
            "patent davası",
        ],
        "adjectives": ["daha ucuz", "daha hızlı", "daha sessiz", "daha büyük", "daha yeşil"],
        "verbs": ["tanıttı", "erteledi", "genişletiyor", "yeniden düşünüyor", "indirdi"],
        "titles": [
            "{c} {x} planını {v}",
            "{c}, {l} için {x} {v}",
            "{p}, {n} yıl sonra {c}'den ayrılıyor",
            "{c}, {x} işinin başına {p} getirdi",
            "{c} neden {t} konusunda endişeli",
        ],
        "standfirsts": [
            "Rakipler {t} ve {a} bir {x} için yarışırken adım geldi.",
            "Analistler yüzde {n} büyüme bekliyor, ancak {t} yatırımcıları endişelendiriyor.",
        ],
        "sentences": [
            "Şirket, {x} ürününün {y} sonundan önce {l} mağazalarında olacağını söyledi.",
            "Analistler {t} konusunun sonuçları en az {n} çeyrek etkileyeceğini düşünüyor.",
            "Bir sözcü, {x} üzerinde kaç mühendisin çalıştığını söylemedi.",
            "Rakipler yüzde {n} daha ucuz, {a} bir {x} ile yanıt verdi.",
            "{l} kentindeki mühendislerin {x} ürününü baştan tasarladığı söyleniyor.",
            "Tedarikçilere ayda yaklaşık {n} bin adetlik siparişe hazırlanmaları söylendi.",
            "{l} düzenleyicileri {t} konusunu inceliyor.",
            "İlk incelemeler {x} için öncekinden {a} diyor.",
            "Hisseler haberle birlikte yüzde {n} yükseldi.",
            "Sektör gözlemcileri {t} konusunu stratejinin asıl sınavı olarak görüyor.",
        ],
        "headings": ["Neler değişiyor", "Rakamlar", "Neden şimdi", "Sırada ne var"],
        "leads": [
            "{p}, çalışanlara {c} şirketinin artık {x} üzerine yoğunlaşacağını söyledi.",
            "{c}, {x} işini {p} yöneteceğini doğruladı.",
        ],
        "list_items": ["{l} kentinde {n} yeni iş", "{a} bir {x}", "{n} avrodan başlayan fiyatlar"],
        "quotes": ["{x} ürününü herkes için yapıyoruz.", "{t} bir sınav ve bunu geçeceğiz."],
        "more": "Devamı: {link}",
    },
}


class Writer:
    """Fills the templates with one `random.Random`, so a seed always writes the same."""

    POOL_SIZE = 3000

    def __init__(self, rng: random.Random, year: int):
        self.rng, self.year = rng, year
        self.pools: dict[str, list[str]] = {}

    def words(self, language: str) -> dict:
        return WORDS.get(language, WORDS["en"])

    def fill(self, template: str, language: str, **names) -> str:
        rng, vocab = self.rng, self.words(language)
        return template.format(
            x=rng.choice(vocab["products"]),
            t=rng.choice(vocab["topics"]),
            a=rng.choice(vocab["adjectives"]),
            v=rng.choice(vocab["verbs"]),
            n=rng.randint(2, 40),
            y=rng.randint(self.year - 5, self.year),
            l=rng.choice(PLACES),
            **names,
        )

    def pick(self, language: str, kind: str, **names) -> str:
        return self.fill(self.rng.choice(self.words(language)[kind]), language, **names)

    def sentences(self, language: str, count: int) -> str:
        """`count` ready-made sentences; bodies are assembled from a pool for speed."""
        if language not in self.pools:
            self.pools[language] = [self.sentence(language, n) for n in range(self.POOL_SIZE)]
        return " ".join(self.rng.choices(self.pools[language], k=count))

    def sentence(self, language: str, number: int) -> str:
        """One sentence, a few of them with inline markup or a link."""
        sentence = self.pick(language, "sentences")
        head, _, tail = sentence.partition(" ")
        roll = self.rng.random()
        if roll < 0.08:
            return f"<strong>{head}</strong> {tail}"
        if roll < 0.16:
            return f"{head} <em>{tail[:-1]}</em>."
        if roll < 0.2:
            url = f"https://www.example.com/reports/{number}"
            return f'{sentence[:-1]} (<a href="{url}">report</a>).'
        return sentence

    def story(self, language: str, *, person, company, quote: str, earlier: str) -> dict:
        """Title, standfirst and HTML body (about 600 words) of one article.

        `person` and `company` are (name, link) pairs; `earlier` is a link or "".
        """
        rng, vocab = self.rng, self.words(language)
        lead = self.pick(language, "leads", c=company[1], p=person[1])
        parts = [f"<p>{lead} {self.sentences(language, 3)}</p>"]
        for paragraph in range(8):
            if paragraph in (2, 6):
                parts.append(f"<h2>{self.pick(language, 'headings')}</h2>")
            if paragraph == 4:
                said = quote or self.pick(language, "quotes")
                parts.append(f"<blockquote><p>{said}</p></blockquote>")
            if paragraph == 5:
                items = [self.fill(item, language) for item in rng.sample(vocab["list_items"], 3)]
                parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            parts.append(f"<p>{self.sentences(language, 5)}</p>")
        if earlier:
            parts.append(f"<p>{vocab['more'].format(link=earlier)}</p>")
        return {
            "title": self.pick(language, "titles", c=company[0], p=person[0]),
            "standfirst": self.pick(language, "standfirsts"),
            "body": "\n".join(parts),
        }
