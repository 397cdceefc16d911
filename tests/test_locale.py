"""The site's own words in Dutch and Turkish: complete, compiled, and shown."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
LANGUAGES = ["nl", "tr"]


def read_po(path: Path) -> dict:
    """{(context, msgid): msgstr or [plural forms]} from a .po file, flags included."""
    entries, entry, key = {}, {}, None
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        if not line.strip():
            if "msgid" in entry and entry["msgid"]:
                ident = (entry.get("msgctxt"), entry["msgid"])
                plurals = [entry[k] for k in sorted(entry) if k.startswith("msgstr[")]
                entries[ident] = {
                    "msgstr": plurals or entry.get("msgstr", ""),
                    "plural": entry.get("msgid_plural"),
                    "fuzzy": entry.get("fuzzy", False),
                }
            entry, key = {}, None
        elif line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 80
    untranslated = [
        ident
        for ident, entry in entries.items()
        if entry["fuzzy"]
        or not entry["msgstr"]
        or (isinstance(entry["msgstr"], list) and not all(entry["msgstr"]))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    for (_context, msgid), entry in read_po(
        LOCALE / language / "LC_MESSAGES" / "django.po"
    ).items():
        wanted = set(re.findall(r"%\(\w+\)s", msgid))
        for text in entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]:
            assert set(re.findall(r"%\(\w+\)s", text)) == wanted, msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo is what the .po says (a fresh clone needs no gettext tools)."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), entry in read_po(folder / "django.po").items():
        if entry["plural"]:
            forms = [compiled.npgettext(context, msgid, entry["plural"], n) if context else
                     compiled.ngettext(msgid, entry["plural"], n) for n in (1, 5)]  # fmt: skip
            assert forms == [entry["msgstr"][0], entry["msgstr"][-1]], msgid
        elif context:
            assert compiled.pgettext(context, msgid) == entry["msgstr"], msgid
        else:
            assert compiled.gettext(msgid) == entry["msgstr"], msgid


def template_messages() -> set[str]:
    """Every {% translate "…" %} string in the templates."""
    pattern = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        if "admin" in template.parts:
            continue
        found |= {match[1] for match in pattern.findall(template.read_text(encoding="utf-8"))}
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_string_is_in_the_catalogue(language):
    known = {msgid for _context, msgid in read_po(LOCALE / language / "LC_MESSAGES" / "django.po")}
    messages = template_messages()
    assert len(messages) > 50
    assert messages - known == set()
