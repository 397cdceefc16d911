"""Indexes that feeds and sitemaps need to answer without scanning the archive."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_public_page_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "updated_at", "published_at"], name="article_status_updated"
            ),
        ),
    ]
