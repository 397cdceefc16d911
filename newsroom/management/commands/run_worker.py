import logging

from django_tasks_db.management.commands import db_worker

from newsroom import jobs


class Command(db_worker.Command):
    help = (
        "Run background jobs from the queue (the database): django-tasks-db's db_worker "
        "with a heartbeat (see worker_alive), jobs of dead workers queued again, and a log "
        "line for each job's start, end or failure. Run as many as you like, on any "
        "number of machines (PostgreSQL); stop with SIGTERM (the running job finishes)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Reloading on code changes runs the jobs in a child process; say so to have it.
        parser.set_defaults(reload=False)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        level = logging.INFO if verbosity else logging.WARNING
        logging.getLogger(jobs.__name__).setLevel(logging.DEBUG if verbosity > 1 else level)
        # django-tasks logs each job too: keep its failures (with the traceback) only,
        # our own lines say the rest.
        logging.getLogger("django_tasks").setLevel(logging.WARNING)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        # db_worker's handle() with our Worker; its other options behave as documented.
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = jobs.Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if db_worker.os.environ.get(db_worker.DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            db_worker.run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
