"""Full-text search index and the image renditions record.

Search (see articles/search/), per database:

- PostgreSQL: a `search_vector` tsvector column filled by a trigger with the text search
  configuration of each row's language, and a GIN index on it. The column is the
  database's, not a model field. A trigger rather than a generated column, because
  PostgreSQL refuses ALTER COLUMN ... TYPE on a column a generated column reads, and a
  later migration changing `title`'s max_length should not have to know about search.
- SQLite: an FTS5 table, filled here and kept in step by signal receivers. Skipped when
  SQLite was built without FTS5 (search then falls back to icontains).

Existing rows are indexed here.
"""

from html.parser import HTMLParser

from django.db import DatabaseError, migrations, models, transaction

# Frozen copy of articles.search.postgres.LANGUAGE_CONFIGS at the time of this migration;
# tests/articles/search/test_postgres.py checks that the two agree.
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
TAG_PATTERN = r"""<("[^"]*"|'[^']*'|[^'">])*>"""
FTS_TABLE = "articles_article_fts"
HIGHLIGHT_MARKERS = {0xE000: None, 0xE001: None}


# Frozen copy of how articles.search made the indexed text at the time of this migration
# (a migration must not import code that will change): the standfirst, then the body's words.
class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.parts.append(" ")


def document_text(standfirst: str, body: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(body or "")
    extractor.close()
    words = " ".join("".join(extractor.parts).translate(HIGHLIGHT_MARKERS).split())
    return f"{standfirst or ''}\n{words}".strip()


def _postgres_sql() -> list[str]:
    cases = "\n".join(
        f"        WHEN '{code}' THEN '{config}'::regconfig"
        for code, config in sorted(LANGUAGE_CONFIGS.items())
    )
    pattern = TAG_PATTERN.replace("'", "''")
    return [
        f"""
CREATE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := CASE NEW.language
{cases}
        ELSE 'simple'::regconfig
    END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.standfirst, '')), 'B')
        || setweight(to_tsvector(config,
               regexp_replace(coalesce(NEW.body, ''), '{pattern}', ' ', 'g')), 'C');
    RETURN NEW;
END
$$""",
        "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
        # Only when the words or the language change; workflow steps leave it alone.
        """
CREATE TRIGGER articles_article_search_vector
BEFORE INSERT OR UPDATE OF title, standfirst, body, language ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()""",
        "UPDATE articles_article SET language = language",
        "CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector)",
    ]


def create_search_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in _postgres_sql():
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        try:
            with transaction.atomic(using=connection.alias):
                schema_editor.execute(
                    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, "
                    "tokenize = 'porter unicode61 remove_diacritics 2')"
                )
        except DatabaseError:
            return  # no FTS5 in this SQLite: search uses its icontains fallback
        Article = apps.get_model("articles", "Article")
        rows = Article.objects.using(connection.alias).values_list(
            "pk", "title", "standfirst", "body"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)",
                [(pk, title, document_text(standfirst, body)) for pk, title, standfirst, body in rows],
            )


def drop_search_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article")
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_article_search_vector()")
        schema_editor.execute("DROP INDEX IF EXISTS article_search_vector_gin")
        schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.AddField(
            model_name="image",
            name="renditions",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="Web-sized copies made by articles.renditions; remade when the file changes.",
            ),
        ),
    ]
