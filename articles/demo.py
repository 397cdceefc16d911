"""Build the demo newsroom from `demo_content`. Idempotent: what exists is left alone."""

import datetime
import io
import secrets

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from articles import demo_content as content
from articles import translation, workflow
from articles.models import Article, Image, Section, Storyline, StorylineEntry
from articles.roles import sync_roles
from people.models import Company, Person, Position, Quote, QuoteTranslation


def _created(model, lookup: dict, defaults: dict, *, comment: str):
    """get-or-create that records a reversion revision only when it creates."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    with reversion.create_revision():
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        reversion.set_comment(comment)
    return obj, True


def _fill_translations(obj, words: dict) -> None:
    """Give a section or thread made by an older demo its words in other languages; words
    the editors have set are left alone."""
    if obj.translations or not words:
        return
    with reversion.create_revision():
        obj.translations = words
        obj.save()
        reversion.set_comment("Demo newsroom: names in other languages")


def _fill_native_language(entity, language: str) -> None:
    """Mark the native name's language on a person or company made by an older demo."""
    if entity.native_name_language or not entity.native_name:
        return
    with reversion.create_revision():
        entity.native_name_language = language
        entity.save()
        reversion.set_comment("Demo newsroom: language of the native name")


def banner_png(title: str, colour: tuple[int, int, int], size=(1200, 675)) -> bytes:
    """A plain illustrated banner: a colour gradient with the title written on it."""
    width, height = size
    image = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = 1 - 0.45 * y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(c * shade) for c in colour))
    try:
        font = ImageFont.load_default(size=72)
    except TypeError:  # Pillow without FreeType sizes
        font = ImageFont.load_default()
    draw.text((60, height - 160), title, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


class DemoBuilder:
    def __init__(self, log=print, *, random_passwords: bool = False):
        self.log = log
        # Off a development machine the demo's printed passwords would open the admin to
        # anyone who has read the README: each new account gets a random one instead.
        self.random_passwords = random_passwords
        self.new_passwords: dict[str, str] = {}  # username -> password, for new accounts
        self.users = {}
        self.stories: dict[str, Article] = {}

    @transaction.atomic
    def build(self) -> None:
        self.make_users()
        for name in content.SECTIONS:
            section, _ = _created(
                Section,
                {"name": name},
                {"translations": self.section_words(name)},
                comment="Demo newsroom",
            )
            _fill_translations(section, self.section_words(name))
        self.make_people_and_companies()
        self.make_quotes()
        self.make_storylines()
        for key, story in content.STORIES.items():
            self.stories[key] = self.make_story(key, story)
        self.fill_storylines()
        self.make_positions()
        self.make_translations()
        self.make_review_draft()

    def make_users(self) -> None:
        # The roles come from a data migration, but a flushed database (tests on a live
        # server) has lost them; putting them back is idempotent.
        sync_roles(Group, Permission)
        User = get_user_model()
        for username, password, role, is_superuser, full_name in content.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                first, last = full_name.split(" ", 1)
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@newsroom.example",
                    is_staff=True,
                    is_superuser=is_superuser,
                )
                if self.random_passwords:
                    password = secrets.token_urlsafe(15)
                self.new_passwords[username] = password
                user.set_password(password)
                user.save()
                if role:
                    user.groups.add(Group.objects.get(name=role))
            self.users[username] = user

    @staticmethod
    def section_words(name: str) -> dict:
        return {
            code: {"name": words}
            for code, words in content.SECTION_TRANSLATIONS.get(name, {}).items()
        }

    @staticmethod
    def storyline_words(slug: str) -> dict:
        return {
            code: {"title": title, "description": description}
            for code, (title, description) in content.STORYLINE_TRANSLATIONS.get(slug, {}).items()
        }

    def make_people_and_companies(self) -> None:
        native_language = content.NATIVE_NAME_LANGUAGE
        for slug, (name, native, aliases, bio) in content.PEOPLE.items():
            person, _ = _created(
                Person,
                {"slug": slug},
                {
                    "name": name,
                    "native_name": native,
                    "native_name_language": native_language if native else "",
                    "aliases": "\n".join(aliases),
                    "bio": bio,
                },
                comment="Demo newsroom",
            )
            _fill_native_language(person, native_language)
        for slug, (name, native, aliases, tickers, _parent, desc) in content.COMPANIES.items():
            company, _ = _created(
                Company,
                {"slug": slug},
                {
                    "name": name,
                    "native_name": native,
                    "native_name_language": native_language if native else "",
                    "aliases": "\n".join(aliases),
                    "tickers": "\n".join(tickers),
                    "description": desc,
                },
                comment="Demo newsroom",
            )
            _fill_native_language(company, native_language)
        for slug, (*_rest, parent, _desc) in content.COMPANIES.items():
            company = Company.objects.get(slug=slug)
            if parent and company.parent_id is None:
                with reversion.create_revision():
                    company.parent = Company.objects.get(slug=parent)
                    company.save()
                    reversion.set_comment("Demo newsroom: parent company")

    def make_quotes(self) -> None:
        self.quotes = {}
        for key, (
            speaker,
            lang,
            text,
            rendered_from,
            said_on,
            precision,
            context,
            trans,
        ) in content.QUOTES.items():
            quote, created = _created(
                Quote,
                {"speaker": Person.objects.get(slug=speaker), "text": text},
                {
                    "language": lang,
                    "rendered_from": rendered_from,
                    "said_on": said_on,
                    "said_on_precision": precision,
                    "context": context,
                },
                comment="Demo newsroom",
            )
            if created:
                with reversion.create_revision():
                    for language, translated in trans.items():
                        QuoteTranslation.objects.create(
                            quote=quote, language=language, text=translated
                        )
                    reversion.add_to_revision(quote)
                    reversion.set_comment("Demo newsroom: quote translations")
            self.quotes[key] = quote

    def make_storylines(self) -> None:
        for slug, (title, description, _stories) in content.STORYLINES.items():
            storyline, _ = _created(
                Storyline,
                {"slug": slug},
                {
                    "title": title,
                    "description": description,
                    "translations": self.storyline_words(slug),
                },
                comment="Demo newsroom",
            )
            _fill_translations(storyline, self.storyline_words(slug))

    def make_image(self, title: str, alt: str, credit: str, colour) -> Image:
        existing = Image.objects.filter(alt_text=alt).first()
        if existing:
            return existing
        image = Image(alt_text=alt, credit=credit, caption=title)
        png = ContentFile(banner_png(title, colour))
        image.file.save(f"demo-{slugify(alt)[:50]}.png", png, save=False)
        with reversion.create_revision():
            image.save()
            reversion.set_comment("Demo newsroom")
        return image

    def make_story(self, key: str, story: dict) -> Article:
        existing = Article.objects.filter(language=story["language"], slug=story["slug"]).first()
        if existing:
            return existing
        owner = self.users[story["owner"]]
        article = Article(
            language=story["language"],
            title=story["title"],
            slug=story["slug"],
            standfirst=story["standfirst"],
            body=story["body"].strip(),
            source=story["source"],
            dateline=story["dateline"],
            owner=owner,
            byline_note="" if story.get("authors") else "Newsroom staff",
            lead_image=self.make_image(*story["image"]),
        )
        article.full_clean()
        with reversion.create_revision():
            article.save()
            article.authors.set(Person.objects.filter(slug__in=story.get("authors", [])))
            article.people.set(Person.objects.filter(slug__in=story["people"]))
            article.companies.set(Company.objects.filter(slug__in=story["companies"]))
            article.quotes.set([self.quotes[q] for q in story["quotes"]])
            article.sections.set(Section.objects.filter(name__in=story["sections"]))
            reversion.set_user(owner)
            reversion.set_comment("First draft")
        self.publish(article, owner=owner, at=story["published_at"])
        return article

    def publish(self, article: Article, *, owner, at) -> None:
        editor = self.users["editor"]
        workflow.submit_for_review(article, user=owner)
        workflow.approve(article, user=editor)
        workflow.publish(article, user=editor, at=at)

    def fill_storylines(self) -> None:
        for slug, (_title, _desc, story_keys) in content.STORYLINES.items():
            storyline = Storyline.objects.get(slug=slug)
            for position, key in enumerate(story_keys, start=1):
                StorylineEntry.objects.get_or_create(
                    storyline=storyline, article=self.stories[key], defaults={"position": position}
                )

    def make_positions(self) -> None:
        for (person, company, title, start, start_p, end, end_p, ending, successor, sources,
             note) in content.POSITIONS:  # fmt: skip
            position, created = _created(
                Position,
                {
                    "person": Person.objects.get(slug=person),
                    "company": Company.objects.get(slug=company),
                    "title": title,
                },
                {
                    "start_date": start,
                    "start_precision": start_p,
                    "end_date": end,
                    "end_precision": end_p,
                    "ending": ending,
                    "successor": Person.objects.filter(slug=successor).first(),
                    "note": note,
                },
                comment="Demo newsroom",
            )
            if created:
                position.sources.set([self.stories[key] for key in sources])

    def make_translations(self) -> None:
        translator, editor = self.users["translator"], self.users["editor"]
        for key, language, fields, when, owner in content.TRANSLATIONS:
            source = self.stories[key]
            if source.versions().filter(language=language).exists():
                continue
            draft = translation.start_translation(
                source, language=language, user=editor, assignee=self.users[owner]
            )
            with reversion.create_revision():
                for field, value in fields.items():
                    setattr(draft, field, value.strip() if field == "body" else value)
                draft.full_clean()
                draft.save()
                reversion.set_user(translator)
                reversion.set_comment(f"Translated into {language}")
            if when is None:
                continue
            if when == "scheduled":
                at = timezone.now() + datetime.timedelta(days=3)
            else:
                at = source.published_at + datetime.timedelta(days=when)
            self.publish(draft, owner=self.users[owner], at=at)
            if key == content.SOURCE_CORRECTION[0]:
                self.correct_source(source)

    def correct_source(self, source: Article) -> None:
        """A later correction to the source, so its translation becomes outdated."""
        _key, old, new = content.SOURCE_CORRECTION
        source.refresh_from_db()
        with reversion.create_revision():
            source.body = source.body.replace(old, new)
            source.save()
            reversion.set_user(self.users["editor"])
            reversion.set_comment("Correction: clarified Zeng Xuezhong's roles")

    def make_review_draft(self) -> None:
        story = content.REVIEW_DRAFT
        if Article.objects.filter(language=story["language"], slug=story["slug"]).exists():
            return
        writer = self.users[story["owner"]]
        article = Article(
            language=story["language"],
            title=story["title"],
            slug=story["slug"],
            standfirst=story["standfirst"],
            body=story["body"].strip(),
            owner=writer,
            byline_note="Newsroom staff",
        )
        article.full_clean()
        with reversion.create_revision():
            article.save()
            article.people.set(Person.objects.filter(slug__in=story["people"]))
            article.companies.set(Company.objects.filter(slug__in=story["companies"]))
            article.sections.set(Section.objects.filter(name__in=story["sections"]))
            for position, slug in enumerate(story["storylines"], start=10):
                StorylineEntry.objects.create(
                    storyline=Storyline.objects.get(slug=slug), article=article, position=position
                )
            reversion.set_user(writer)
            reversion.set_comment("First draft")
        workflow.submit_for_review(article, user=writer, comment="Ready for a first read.")
