from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The ground floor as an app only for what must be one: the job queue's worker
    heartbeats (a model), the worker's commands and the queue's admin."""

    name = "newsroom"
    verbose_name = "Background jobs"
