"""Search for databases without full-text search (or SQLite built without FTS5): every word
must appear, case-insensitively (`icontains`), in the title, standfirst or body.

Unranked; the snippet is the standfirst, and the words are marked in Python
(`snippets.mark_words`, by `articles.search.highlighted`), since the database cannot.
"""

from django.db.models import FloatField, Q, Value

from articles.search.query import MAX_TERMS, WORD


def search(queryset, query: str):
    """`queryset` narrowed to articles containing every word; None if there are no words."""
    words = [w for w in WORD.findall(query) if w.lower() != "or"][:MAX_TERMS]
    if not words:
        return None
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
