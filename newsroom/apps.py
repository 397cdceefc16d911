from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class NewsroomConfig(AppConfig):
    """The ground floor as an app only for what must be one: the job queue's worker
    heartbeats (a model), the worker's commands and the queue's admin."""

    name = "newsroom"
    verbose_name = "Background jobs: the workers"


class JobQueueConfig(TasksAppConfig):
    """django-tasks-db under the name staff know it by in the admin's menu."""

    verbose_name = "Background jobs: the queue"
