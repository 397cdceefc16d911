from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import demo_content
from articles.demo import DemoBuilder


class Command(BaseCommand):
    help = "Build the demo newsroom (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Build the demo even though DEBUG is off. The staff accounts it makes get "
            "random passwords, printed once.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "DEBUG is off, so this looks like a production site: load_demo would add "
                "staff accounts (admin, editor, writer, translator) and made-up stories. "
                "To do it anyway, run it with --allow-production; the new accounts then "
                "get random passwords, printed once."
            )
        builder = DemoBuilder(log=self.stdout.write, random_passwords=settings.PRODUCTION)
        builder.build()
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready."))
        self.stdout.write("Log in at /admin/ with:")
        for username, password, role, _superuser, _name in demo_content.USERS:
            if settings.PRODUCTION:
                password = builder.new_passwords.get(username, "(unchanged: it existed)")
            self.stdout.write(f"  {username:<11} {password:<22} {role or 'Superuser'}")
        if settings.PRODUCTION and builder.new_passwords:
            self.stdout.write(
                self.style.WARNING(
                    "These passwords are shown only now and stored only as hashes: keep "
                    "them, or set new ones with `manage.py changepassword USER`."
                )
            )
