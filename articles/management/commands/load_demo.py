from django.core.management.base import BaseCommand

from articles import demo_content
from articles.demo import DemoBuilder


class Command(BaseCommand):
    help = "Build the demo newsroom (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        DemoBuilder(log=self.stdout.write).build()
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready."))
        self.stdout.write("Log in at /admin/ with:")
        for username, password, role, _superuser, _name in demo_content.USERS:
            self.stdout.write(f"  {username:<11} {password:<20} {role or 'Superuser'}")
