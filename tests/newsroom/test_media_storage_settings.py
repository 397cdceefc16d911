"""MEDIA_STORAGE_URL (and the usual AWS_* variables) as newsroom/settings.py reads them, each
in a fresh process started with that environment, as a server would be."""

import pytest

from tests.s3 import settings_in_fresh_process

S3 = "storages.backends.s3.S3Storage"


def test_without_storage_settings_media_are_local_files_the_app_serves():
    config = settings_in_fresh_process({})
    assert config["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["media_url"] == "/media/"
    assert config["serve_media"] is True and config["media_route"] is True
    assert config["img_src"] == ["'self'"]
    assert config["sample_url"] == "/media/images/2026/12/Lei%20Jun.jpg"


def test_an_s3_compatible_server_serves_media_at_plain_public_urls():
    config = settings_in_fresh_process(
        {"MEDIA_STORAGE_URL": "s3://news-media?endpoint_url=http://127.0.0.1:9000&region_name=eu-1"}
    )
    options = config["storage"]["OPTIONS"]
    assert config["storage"]["BACKEND"] == S3
    assert options["bucket_name"] == "news-media" and options["region_name"] == "eu-1"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["default_acl"] == "public-read" and options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert config["media_url"] == "http://127.0.0.1:9000/news-media/"
    assert config["sample_url"] == "http://127.0.0.1:9000/news-media/images/2026/12/Lei%20Jun.jpg"
    # The app serves no media, and the pages' CSP lets pictures come from the storage.
    assert config["serve_media"] is False and config["media_route"] is False
    assert config["img_src"] == ["'self'", "http://127.0.0.1:9000"]


def test_a_custom_domain_and_a_prefix():
    config = settings_in_fresh_process(
        {
            "MEDIA_STORAGE_URL": "s3://news-media/site/media?region_name=eu-west-1"
            "&custom_domain=media.example.com",
            "SERVE_MEDIA": "0",
        }
    )
    assert config["storage"]["OPTIONS"]["location"] == "site/media"
    assert config["media_url"] == "https://media.example.com/site/media/"
    assert (
        config["sample_url"] == "https://media.example.com/site/media/images/2026/12/Lei%20Jun.jpg"
    )
    assert config["img_src"] == ["'self'", "https://media.example.com"]


def test_the_usual_aws_variables_work_on_their_own():
    config = settings_in_fresh_process(
        {
            "AWS_STORAGE_BUCKET_NAME": "news-media",
            "AWS_S3_REGION_NAME": "eu-west-1",
            "AWS_DEFAULT_ACL": "",  # a bucket with ACLs off, public through its policy
        }
    )
    assert config["storage"]["BACKEND"] == S3
    assert config["storage"]["OPTIONS"]["default_acl"] is None
    assert config["media_url"] == "https://news-media.s3.eu-west-1.amazonaws.com/"
    assert config["sample_url"].startswith(config["media_url"])
    assert config["serve_media"] is False


@pytest.mark.parametrize(
    "url, says",
    [
        ("s3://news-media?endpoint=http://127.0.0.1:9000", "; unknown: endpoint"),
        ("s3://AKIAEXAMPLE:secret@news-media", "credentials go in AWS_ACCESS_KEY_ID"),
        ("https://news-media.example.com/", "expected s3://BUCKET"),
        ("s3:///images", "expected s3://BUCKET"),
    ],
)
def test_a_wrong_storage_url_stops_the_start_with_what_is_expected(url, says):
    with pytest.raises(ValueError, match="ImproperlyConfigured: MEDIA_STORAGE_URL") as error:
        settings_in_fresh_process({"MEDIA_STORAGE_URL": url})
    assert says in str(error.value)
