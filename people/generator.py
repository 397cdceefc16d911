"""The cast of the synthetic archive (`articles.generator`): people, companies, quotes, roles.

Names are built from syllables, so no generated person or company is a real one. Mentions
are skewed like a real archive's: `mentions()` picks the first few people and companies
very often and most of the others rarely. Rows go in with `bulk_create`; what a save would
derive (slugs, a role's `timeline_date`) is derived here with the models' own rules.
"""

import datetime
import itertools
import random

from django.utils.text import slugify

from people.models import Company, DatePrecision, Person, Position, Quote, timeline_point
from people.names import index_names

BATCH = 1000
GIVEN_SYLLABLES = [
    "an", "bel", "ca", "dor", "el", "fen", "ga", "hal", "ir", "jo", "ka", "lin", "ma",
    "nor", "os", "pe", "ra", "sel", "ta", "ul", "va", "wen", "ya", "zo", "mi", "ren",
]  # fmt: skip
FAMILY_SYLLABLES = [
    "ber", "cor", "dal", "fer", "gran", "hol", "kes", "lam", "mor", "nev", "ost", "pral",
    "quin", "ros", "sten", "tor", "val", "wick", "yar", "zel", "mund", "ha", "li", "do",
]  # fmt: skip
COMPANY_SYLLABLES = [
    "vel", "trix", "no", "va", "qua", "lum", "zen", "tek", "ora", "pix", "syn", "ter",
    "cor", "ion", "neo", "dyn", "arc", "flux", "mo", "vi", "xa", "byte", "lo", "ri",
]  # fmt: skip
COMPANY_SUFFIXES = [
    "Labs", "Systems", "Semiconductor", "Robotics", "Cloud", "Mobile", "Motors", "Networks",
    "Devices", "Energy", "Software", "Group", "Technologies", "Payments", "Optics", "AI",
]  # fmt: skip
EXCHANGES = ["NASDAQ", "NYSE", "HKEX", "SSE", "KRX", "TSE", "LSE", "BIT"]
ROLE_TITLES = [
    "Chief executive", "Chief financial officer", "Chief technology officer", "President",
    "Vice-president", "Managing director", "Executive director", "Chair of the board",
    "Head of research", "Head of international business", "General manager", "Board member",
]  # fmt: skip
QUOTE_CONTEXTS = [
    "an earnings call", "a keynote", "an interview", "a post on social media",
    "an open letter to staff", "a press conference", "a shareholder meeting",
]  # fmt: skip
BYLINES = 40  # people who write rather than make the news


def skewed_weights(count: int) -> list[float]:
    """Cumulative Zipf-like weights: the first few are picked very often, most rarely."""
    return list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(count)))


class Cast:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today

    def syllables(self, syllables: list[str], count: int) -> str:
        return "".join(self.rng.choice(syllables) for _ in range(count)).capitalize()

    def person_name(self) -> str:
        family = self.syllables(FAMILY_SYLLABLES, self.rng.choice((2, 2, 3)))
        return f"{self.syllables(GIVEN_SYLLABLES, 2)} {family}"

    def company_name(self) -> str:
        stem = self.syllables(COMPANY_SYLLABLES, self.rng.choice((2, 2, 3)))
        return f"{stem} {self.rng.choice(COMPANY_SUFFIXES)}"

    def unique(self, model, count: int, make) -> list:
        """`count` unsaved people or companies whose slugs are free."""
        taken, made = set(model.objects.values_list("slug", flat=True)), []
        while len(made) < count:
            name = make()
            slug = slugify(name)[:200]
            if slug and slug not in taken:
                taken.add(slug)
                made.append(model(name=name, slug=slug))
        return made

    def make(self, *, people: int, companies: int) -> None:
        """Insert the people and companies; the last few people are the bylines."""
        rng = self.rng
        made = self.unique(Person, max(people, BYLINES * 2), self.person_name)
        self.people = Person.objects.bulk_create(made, batch_size=BATCH)
        made = self.unique(Company, companies, self.company_name)
        for company in made:
            if rng.random() < 0.2:
                company.tickers = f"{company.slug[:4].upper()}:{rng.choice(EXCHANGES)}"
        self.companies = Company.objects.bulk_create(made, batch_size=BATCH)
        subsidiaries = []
        for company in self.companies[len(self.companies) // 2 :]:
            if rng.random() < 0.15:
                company.parent = rng.choice(self.companies[:20])
                subsidiaries.append(company)
        Company.objects.bulk_update(subsidiaries, ["parent"], batch_size=BATCH)
        # bulk_create sends no signals: the search's name keys are written here.
        index_names(self.people)
        index_names(self.companies)
        self.newsmakers, self.authors = self.people[:-BYLINES], self.people[-BYLINES:]
        self.person_weights = skewed_weights(len(self.newsmakers))
        self.company_weights = skewed_weights(len(self.companies))

    def mentions(self) -> tuple[list[Person], list[Company]]:
        """One to three people and companies for an article, the famous ones most often."""
        rng = self.rng
        people = rng.choices(self.newsmakers, cum_weights=self.person_weights, k=rng.randint(1, 3))
        companies = rng.choices(
            self.companies, cum_weights=self.company_weights, k=rng.randint(1, 3)
        )
        return list(dict.fromkeys(people)), list(dict.fromkeys(companies))

    def make_quotes(self, say) -> dict[int, list[Quote]]:
        """One to three quotes for each of the most-mentioned tenth; `say()` gives
        (text, language). Returns the quotes by speaker id."""
        rng, quotes = self.rng, []
        for speaker in self.newsmakers[: len(self.people) // 10]:
            for _ in range(rng.randint(1, 3)):
                text, language = say()
                quote = Quote(
                    speaker=speaker,
                    text=text,
                    language=language,
                    said_on=self.today - datetime.timedelta(days=rng.randint(0, 5 * 365)),
                    said_on_precision=rng.choice((DatePrecision.DAY, DatePrecision.MONTH)),
                    context=rng.choice(QUOTE_CONTEXTS),
                )
                quotes.append(quote)
        by_speaker: dict[int, list[Quote]] = {}
        for quote in Quote.objects.bulk_create(quotes, batch_size=BATCH):
            by_speaker.setdefault(quote.speaker_id, []).append(quote)
        return by_speaker

    def make_positions(self, articles_about: dict[int, list[int]]) -> int:
        """Roles over time for the most-mentioned two fifths; some are sourced by articles
        that mention the person (`articles_about`: person id -> article ids)."""
        rng, today, positions, sources = self.rng, self.today, [], []
        endings = [e for e in Position.Ending if e != Position.Ending.HELD]
        for person in self.newsmakers[: len(self.people) * 2 // 5]:
            for _ in range(rng.randint(1, 3)):
                start_precision = rng.choice(list(DatePrecision))
                start = None
                if start_precision != DatePrecision.UNKNOWN:
                    start = today - datetime.timedelta(days=rng.randint(30, 15 * 365))
                ending = Position.Ending.HELD if rng.random() < 0.5 else rng.choice(endings)
                end, end_precision = None, DatePrecision.UNKNOWN
                if ending != Position.Ending.HELD and rng.random() < 0.8:
                    first = start or today - datetime.timedelta(days=15 * 365)
                    end = first + (today - first) * rng.random()
                    end_precision = rng.choice((DatePrecision.DAY, DatePrecision.MONTH))
                position = Position(
                    person=person,
                    company=rng.choices(self.companies, cum_weights=self.company_weights)[0],
                    title=rng.choice(ROLE_TITLES),
                    start_date=start,
                    start_precision=start_precision,
                    end_date=end,
                    end_precision=end_precision,
                    ending=ending,
                    successor=rng.choice(self.newsmakers) if ending == "replaced" else None,
                    # What Position.save derives.
                    timeline_date=timeline_point(start, start_precision)
                    or timeline_point(end, end_precision),
                )
                positions.append(position)
                mentioned = articles_about.get(person.pk)
                if mentioned and rng.random() < 0.4:
                    sources.append((position, rng.sample(mentioned, min(2, len(mentioned)))))
        Position.objects.bulk_create(positions, batch_size=BATCH)
        Through = Position.sources.through
        Through.objects.bulk_create(
            [Through(position_id=p.pk, article_id=pk) for p, pks in sources for pk in pks],
            batch_size=5000,
        )
        return len(positions)
