import pytest

from newsroom import pagecache


@pytest.fixture
def page_cache_in_files(settings, tmp_path):
    """A page cache of the test's own, in files: expiry is then read from the clock that
    time_machine moves (Redis keeps time on its server), and `clear()` empties only it
    (the Redis of CI's second run is shared by the test workers)."""
    settings.CACHES = {
        **settings.CACHES,
        pagecache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
