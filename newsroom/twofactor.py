"""Two-factor sign-in for the staff: an authenticator app (TOTP) and recovery codes.

The devices are django-otp's (`TOTPDevice`, `StaticDevice` holding the recovery codes);
this module is the newsroom's rules and operations on them: who must have a second
factor, enrolling, checking a code, and making new recovery codes. The login form, the
two-factor page and the middleware that sends unverified editors to it live in
`newsroom/staff_login.py` and `newsroom/middleware.py`.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_required(user: AbstractBaseUser) -> bool:
    """Editors (whoever holds TWO_FACTOR_PERMISSION) and superusers must sign in with a
    second factor when REQUIRE_2FA is on."""
    if not (settings.REQUIRE_2FA and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_perm(settings.TWO_FACTOR_PERMISSION)


def app_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_two_factor(user: AbstractBaseUser) -> bool:
    return app_device(user) is not None


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__confirmed=True, device__name=RECOVERY_DEVICE_NAME
    ).count()


def normalise_code(code: str) -> str:
    """What a person typed, without the spaces and dashes apps and printouts put in."""
    return "".join(code.split()).replace("-", "").lower()[:32]


@transaction.atomic
def start_enrolment(user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (any earlier unfinished one is
    dropped). It counts for nothing until `confirm_enrolment` accepts a code from it; an
    app set up before keeps working until then."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def pending_enrolment(user: AbstractBaseUser, device_id) -> TOTPDevice | None:
    """The unconfirmed device `start_enrolment` made for `user`, by its id (as posted)."""
    device_id = str(device_id)
    if not (device_id.isascii() and device_id.isdigit() and len(device_id) <= 18):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).filter(pk=device_id).first()


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, *, code: str) -> list[str]:
    """Turn two-factor sign-in on with `device`, once the code its app shows matches.

    Replaces any app set up before and returns a fresh set of recovery codes (shown to
    the person once; only they keep them). A wrong code: ValidationError, nothing changes.
    """
    if device.confirmed:
        raise ValidationError("This authenticator is already set up.")
    code = normalise_code(code)
    looks_right = code.isascii() and code.isdigit() and len(code) == device.digits
    if not looks_right or not device.verify_token(code):
        raise ValidationError(
            "That code does not match. Check the app shows the newsroom's entry and type "
            "the six digits it shows now."
        )
    TOTPDevice.objects.devices_for_user(device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return make_recovery_codes(device.user)


@transaction.atomic
def make_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """A new set of one-time recovery codes for `user`; the old set stops working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def turn_off(user: AbstractBaseUser) -> None:
    """Remove `user`'s authenticator and recovery codes (refused while it is required)."""
    if two_factor_required(user):
        raise ValidationError("Editors and administrators must keep two-factor sign-in on.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class CodeRefused(Exception):
    """A second-factor code was not accepted; the message says why, for the person."""


def verify_code(user: AbstractBaseUser, code: str) -> Device:
    """The device that accepts `code` for `user`: the app's six digits, or a recovery
    code (used up by this). Raises CodeRefused when neither does.

    Each device counts its failures and makes the next attempt wait longer (django-otp's
    throttling: 1, 2, 4, … seconds), so codes cannot be guessed quickly.
    """
    code = normalise_code(code)
    if not code:
        raise CodeRefused("Type the code from your authenticator app, or a recovery code.")
    if code.isascii() and code.isdigit():
        device = app_device(user)
    else:
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        raise CodeRefused("That code does not match.")
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused(
            "Too many wrong codes in a row: wait a little and try again."
            if details and "failure_count" in details
            else "Codes cannot be checked right now."
        )
    if not device.verify_token(code):
        raise CodeRefused("That code does not match.")
    return device
