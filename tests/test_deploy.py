"""deploy/: the compose file, the app image and the systemd units, checked by reading them
(no Docker engine runs in CI): the services are all there and wired as docs/deployment.md
says, every variable they give the app is one the app reads, and every command they run
is a real one."""

import ast
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("migrate", "web", "worker")

# Agreed in issue 12 with the branches building them; they may not be on this branch yet.
# Once a branch lands, its names are read by settings.py / are real commands, and the
# entries here only repeat what the checks find anyway.
AGREED_VARIABLES = {
    # media on S3-compatible storage
    "MEDIA_STORAGE_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    # read replicas
    "DATABASE_REPLICA_URLS",
    "REPLICA_MAX_LAG_SECONDS",
}
AGREED_COMMANDS = {"run_worker", "worker_alive"}  # the task queue's worker and its liveness
# Read by gunicorn itself, not by the app: processes per web container.
GUNICORN_VARIABLES = {"WEB_CONCURRENCY"}


def settings_variables() -> set[str]:
    """Every environment variable newsroom/settings.py reads (os.environ.get/[...],
    os.getenv, env_bool, env_list), found in its syntax tree."""
    tree = ast.parse((ROOT / "newsroom" / "settings.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = ast.unparse(node.func)
            if func in ("os.environ.get", "os.getenv", "env_bool", "env_list"):
                found.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            found.add(node.slice.value)
    return found


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else list(command)


def test_the_settings_scanner_finds_what_settings_read():
    found = settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= found
    assert {"LOG_FORMAT", "LOG_LEVEL", "SERVE_MEDIA", "BEHIND_TLS_PROXY"} <= found
    assert "NOT_A_SETTING" not in found


def test_compose_has_every_service_of_the_scale_out(services):
    assert set(services) == {
        "migrate", "web", "proxy", "worker", "primary", "replica", "redis", "storage",
        "storage-bucket",
    }  # fmt: skip
    for name in APP_SERVICES:
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / services[name]["build"]["context"]).resolve() == ROOT
    assert services["primary"]["image"].startswith("postgres:")
    assert services["replica"]["image"] == services["primary"]["image"]
    assert services["redis"]["image"].startswith("redis:")


def test_every_variable_given_to_the_app_is_one_it_reads(services):
    readable = settings_variables() | AGREED_VARIABLES
    for name in APP_SERVICES:
        given = set(services[name]["environment"])
        unknown = given - readable - GUNICORN_VARIABLES
        assert not unknown, f"{name} sets variables the app does not read: {sorted(unknown)}"
        # The essentials of production mode on PostgreSQL, Redis and S3.
        assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MEDIA_STORAGE_URL"} <= given
        assert services[name]["environment"]["DEBUG"] == "0"
        assert "@primary:5432/" in services[name]["environment"]["DATABASE_URL"]
        assert "@replica:5432/" in services[name]["environment"]["DATABASE_REPLICA_URLS"]


def test_every_variable_in_the_env_examples_is_used(compose):
    text = (DEPLOY / "compose.yaml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    example = env_file_names(DEPLOY / "env.example")
    assert interpolated <= example, interpolated - example
    assert example <= interpolated, example - interpolated
    systemd = env_file_names(DEPLOY / "systemd" / "newsroom.env.example")
    assert systemd <= settings_variables() | AGREED_VARIABLES


def env_file_names(path: Path) -> set[str]:
    lines = path.read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_compose_and_units_run_only_real_management_commands(services):
    real = set(get_commands())
    commands = [command_of(s) for s in services.values()]
    commands += [s["healthcheck"]["test"][1:] for s in services.values() if "healthcheck" in s]
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                commands.append(line.removeprefix("ExecStart=").split())
    used = {c[c.index("manage.py") + 1] for c in commands if "manage.py" in c}
    assert {"migrate", "run_worker", "worker_alive"} <= used
    assert not used - real - AGREED_COMMANDS, used - real - AGREED_COMMANDS


def test_web_runs_gunicorn_from_the_prod_extra_and_is_checked_on_healthz(services):
    web = services["web"]
    assert command_of(web)[:2] == ["gunicorn", "newsroom.wsgi"]
    prod = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(d.startswith("gunicorn") for d in prod["optional-dependencies"]["prod"])
    assert "http://127.0.0.1:8000/healthz" in " ".join(web["healthcheck"]["test"])
    assert "ports" not in web, "a fixed host port would stop `--scale web=N`"


def test_worker_is_checked_with_worker_alive(services):
    worker = services["worker"]
    assert command_of(worker) == ["python", "manage.py", "run_worker"]
    assert worker["healthcheck"]["test"] == ["CMD", "python", "manage.py", "worker_alive"]
    assert worker["restart"] == "unless-stopped"


def test_every_service_that_stays_up_has_a_health_check(services):
    one_shots = {name for name, s in services.items() if s.get("restart") == "no"}
    assert one_shots == {"migrate", "storage-bucket"}
    for name in set(services) - one_shots:
        assert services[name]["healthcheck"]["test"], name


def test_start_order_waits_for_migrations_bucket_and_healthy_services(services):
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["storage-bucket"]["condition"] == "service_completed_successfully"
        assert needs["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["primary"]["condition"] == "service_healthy"
    assert services["replica"]["depends_on"]["primary"]["condition"] == "service_healthy"
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name


def test_the_replica_is_cloned_from_the_primary_with_pg_basebackup(services):
    replica = services["replica"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in replica["volumes"]}
    script = (DEPLOY / mounts[replica["entrypoint"][-1]].removeprefix("./")).read_text()
    assert "pg_basebackup" in script and "--write-recovery-conf" in script  # i.e. -R
    slot = re.search(r"--slot=(\w+)", script).group(1)
    primary = services["primary"]
    init = [m.split(":")[0] for m in primary["volumes"] if "docker-entrypoint-initdb.d" in m]
    init_script = (DEPLOY / init[0].removeprefix("./")).read_text()
    assert f"pg_create_physical_replication_slot('{slot}')" in init_script
    assert "host replication replicator" in init_script
    assert "wal_level=replica" in command_of(primary)
    assert "hot_standby=on" in script


def test_the_bucket_one_shot_creates_the_bucket_the_app_uses(services):
    bucket = services["storage-bucket"]
    script = " ".join(command_of(bucket))
    assert "mc mb --ignore-existing" in script
    assert bucket["depends_on"]["storage"]["condition"] == "service_healthy"
    media_url = services["web"]["environment"]["MEDIA_STORAGE_URL"]
    assert media_url.startswith("s3://${S3_BUCKET:-newsroom-media}?endpoint_url=")
    assert bucket["environment"]["S3_BUCKET"] == "${S3_BUCKET:-newsroom-media}"


def test_the_image_is_python_3_11_slim_non_root_with_static_files_collected():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    instructions = [line.split(" ", 1) for line in dockerfile.splitlines() if line[:1].isupper()]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    users = [arg for word, arg in instructions if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert "manage.py collectstatic --noinput" in dockerfile
    # Every folder the app needs at run time is copied in.
    copied = {arg.split()[0] for word, arg in instructions if word == "COPY"}
    for folder in ("newsroom", "articles", "people", "templates", "static", "locale"):
        assert folder in copied
        assert (ROOT / folder).is_dir()


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """The units as installed would read them: /srv/newsroom is this checkout."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("NEWSROOM_REQUIRE_SYSTEMD"):
            pytest.fail("systemd-analyze is not installed")
        pytest.skip("systemd-analyze is not installed (NEWSROOM_REQUIRE_SYSTEMD=1 to fail)")
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace("/srv/newsroom", str(ROOT)))
        units.append(str(copy))
    assert [Path(u).name for u in units] == ["newsroom-web.service", "newsroom-worker.service"]
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    worker = (DEPLOY / "systemd" / "newsroom-worker.service").read_text()
    assert "Restart=always" in worker.splitlines()


def test_the_proxy_is_the_one_published_address_and_passes_the_request_id(services):
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"proxy", "storage"}
    mounts = dict(m.split(":")[:2][::-1] for m in services["proxy"]["volumes"])
    config = (DEPLOY / mounts["/etc/nginx/conf.d/default.conf"].removeprefix("./")).read_text()
    assert "set $web http://web:8000;" in config and "proxy_pass $web;" in config
    assert "proxy_set_header X-Request-ID $newsroom_request_id;" in config
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
