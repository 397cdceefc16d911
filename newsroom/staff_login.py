"""Signing in to the admin: the login form with a second factor, the two-factor page
(set up an authenticator app, recovery codes, confirm this session), the lockout page
and the client address django-axes counts failures by.

The rules and operations are `newsroom/twofactor.py`; lockouts are django-axes'
(settings `AXES_*`, lockouts listed in the admin under "Axes").
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django_otp import login as otp_login

from newsroom import twofactor
from newsroom.redirects import safe_next


def client_ip(request: HttpRequest) -> str | None:
    """The address a login attempt came from.

    Behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For, the client is
    that many entries from the right (entries further left are whatever the client sent,
    so they are never trusted); without proxies it is REMOTE_ADDR.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count][:45]
    return request.META.get("REMOTE_ADDR")


class TwoFactorAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, with the second factor for those who have set one up.

    A wrong password is counted by django-axes (through `authenticate`); a wrong code
    is counted the same way, so guessing codes locks the account like guessing passwords.
    """

    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=64,
        strip=True,
        help_text="From your authenticator app, or one of your recovery codes. "
        "Leave it empty if you have not set up two-factor sign-in.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and twofactor.has_two_factor(user):
            try:
                device = twofactor.verify_code(user, cleaned.get("otp_token", ""))
            except twofactor.CodeRefused as refusal:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": cleaned.get("username", "")},
                    request=self.request,
                )
                raise ValidationError(str(refusal), code="invalid_code") from None
            # django-otp keeps the device in the session when the login completes.
            user.otp_device = device
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=64, strip=True)


def _qr_code(device) -> str:
    """The enrolment address as an inline SVG QR code (no script, no style attribute)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, light="#fff")


def _secret(device) -> str:
    """The key as an app asks for it when typed by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def two_factor(request: HttpRequest):
    """/admin/two-factor/: set up an authenticator app, confirm this session with a code,
    or make new recovery codes. Editors and admins are sent here until they have done so
    (when REQUIRE_2FA is on)."""
    user = request.user
    device = twofactor.app_device(user)
    verified = user.is_verified()
    required = twofactor.two_factor_required(user)
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor sign-in",
        "required": required,
        "has_app": device is not None,
        "verified": verified,
        "next": safe_next(request, ""),
        "codes_left": twofactor.recovery_codes_left(user) if device else 0,
        "app_added": device.created_at if device else None,
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    # With an app set up, changing anything needs this session confirmed by a code first.
    if device is not None and not verified and action not in ("", "verify"):
        action = ""
    if action == "verify" and device is not None:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                accepted = twofactor.verify_code(user, form.cleaned_data["code"])
            except twofactor.CodeRefused as refusal:
                form.add_error("code", str(refusal))
            else:
                otp_login(request, accepted)
                messages.success(request, "Signed in with your second factor.")
                return HttpResponseRedirect(safe_next(request, reverse("admin:index")))
        return _page(request, context, step="verify", form=form)
    if action == "start":
        pending = twofactor.start_enrolment(user)
        return _page(request, context, step="enrol", pending=pending, form=CodeForm())
    if action == "confirm":
        pending = twofactor.pending_enrolment(user, request.POST.get("device", ""))
        if pending is None:
            messages.error(request, "That set-up has expired or was replaced: start again.")
            return HttpResponseRedirect(reverse("two_factor"))
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = twofactor.confirm_enrolment(pending, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                otp_login(request, pending)
                return _page(request, context, step="codes", codes=codes, enrolled=True)
        return _page(request, context, step="enrol", pending=pending, form=form)
    if action == "codes" and device is not None:
        codes = twofactor.make_recovery_codes(user)
        return _page(request, context, step="codes", codes=codes)
    if action == "off" and device is not None:
        try:
            twofactor.turn_off(user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Two-factor sign-in is off for your account.")
        return HttpResponseRedirect(reverse("two_factor"))
    if device is not None and not verified:
        return _page(request, context, step="verify", form=CodeForm())
    return _page(request, context, step="status" if device else "intro")


def _page(request, context, *, step: str, pending=None, **extra):
    if pending is not None:
        extra.update(pending=pending, qr_code=_qr_code(pending), secret=_secret(pending))
    return TemplateResponse(request, "admin/two_factor.html", {**context, "step": step, **extra})


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page that says what happened and when
    it lifts (429 Too Many Requests)."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    # Rendered here: django-axes returns it from its middleware, after the phase that
    # renders TemplateResponses.
    return render(request, "admin/locked_out.html", context, status=429)
