import pytest
from django.db import connections


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, django_db_blocker, caplog):
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent/folder/newsroom.sqlite3"
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    assert response.status_code == 503
    # Anonymous callers learn only that the database is unavailable: no host, port, path
    # or driver message. The operators find the error itself in the log.
    assert response.json() == {"status": "error", "database": "unavailable"}
    body = response.content.decode()
    assert "nonexistent" not in body and "127.0.0.1" not in body and "connect" not in body
    logged = [r for r in caplog.records if r.name == "newsroom.views"]
    assert logged and logged[0].exc_info is not None
