"""The languages the newsroom publishes in, read from settings at call time."""

from django.conf import settings


def language_choices() -> list[tuple[str, str]]:
    """Choices for a language field; a callable so adding a language needs no migration."""
    return list(settings.LANGUAGES)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


# Quotes and sources may be in languages we do not publish in (a Chinese statement, say).
QUOTE_LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("tr", "Türkçe"),
    ("zh", "中文"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("hi", "हिन्दी"),
]


def quote_language_choices() -> list[tuple[str, str]]:
    known = dict(QUOTE_LANGUAGES)
    for code, name in settings.LANGUAGES:
        known.setdefault(code, name)
    return sorted(known.items())
