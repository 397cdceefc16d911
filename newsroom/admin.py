"""The job queue in the admin: every job with its state and error, and the workers.

Read-only: jobs are queued by the code that needs them, never by hand here.
django-tasks-db ships an admin for its results; ours replaces it with the columns an
editor or an operator asks about (which job, which attempt, why it failed).
"""

from django.contrib import admin
from django.utils.html import format_html
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from newsroom import jobs
from newsroom.models import WorkerHeartbeat

admin.site.unregister(DBTaskResult)

_STATUS_COLOURS = {
    TaskResultStatus.READY: "#666",
    TaskResultStatus.RUNNING: "#205067",
    TaskResultStatus.FAILED: "#ba2121",
    TaskResultStatus.SUCCESSFUL: "#2e7d32",
}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = [
        "job", "state", "attempt", "arguments", "enqueued_at", "run_after_display",
        "started_at", "finished_at", "error",
    ]  # fmt: skip
    list_filter = ["status", "queue_name"]
    search_fields = ["=id", "task_path"]
    ordering = ["-enqueued_at"]
    show_full_result_count = False  # no COUNT(*) of the whole table on every page
    list_per_page = 50

    @admin.display(description="job", ordering="task_path")
    def job(self, obj):
        # "articles.jobs.import_wire_batch" -> "articles: import_wire_batch"
        return f"{obj.task_path.split('.')[0]}: {obj.task_path.rsplit('.', 1)[-1]}"

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        colour = _STATUS_COLOURS.get(obj.status, "#666")
        label = TaskResultStatus(obj.status).label
        return format_html('<strong style="color:{}">{}</strong>', colour, label)

    @admin.display(description="attempt")
    def attempt(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get(jobs.ATTEMPT, 1)

    @admin.display(description="arguments")
    def arguments(self, obj):
        kwargs = {k: v for k, v in obj.args_kwargs.get("kwargs", {}).items() if k != jobs.ATTEMPT}
        parts = [repr(a) for a in obj.args_kwargs.get("args", [])]
        parts += [f"{k}={v!r}" for k, v in kwargs.items()]
        text = ", ".join(parts)
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="run after", ordering="run_after")
    def run_after_display(self, obj):
        return self.display_run_after(obj)

    @admin.display(description="error")
    def error(self, obj):
        if not obj.traceback:
            return ""
        last = obj.traceback.strip().splitlines()[-1]
        return last if len(last) <= 160 else last[:159] + "…"


@admin.register(WorkerHeartbeat)
class WorkerAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at", "alive", "task_id"]
    ordering = ["-seen_at"]

    @admin.display(description="alive", boolean=True)
    def alive(self, obj):
        return obj.seen_at >= jobs.stale_before() if obj.seen_at else False
