"""Staged changes inside ArticleAdmin: the owner's save of a published article becomes a
pending change; editors review it against the live version and publish or discard it;
editors' own corrections of a live article carry an optional public note.

Every decision calls an operation of `articles/staging.py`; who may do what is
`articles/rules.py`, asked through `user.has_perm`.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import rules, staging
from articles.desk.admin_base import ArticleAdminBase, refusal_message, viewer_display

# What the owner of a published article cannot propose (see staging.STAGED_FIELDS).
NOT_STAGED = ("language", "slug", "translation_of", "owner")

CORRECTION_HELP = (
    "This article is live: your save goes public at once. If it corrects an error, say so "
    "for readers; the note is shown on the article as “Corrected on <date>: <note>”. "
    "Leave it empty for an edit readers need not be told about."
)


class CorrectionNoteForm(forms.Form):
    correction_note = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PendingDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("publish", "discard", "withdraw")])
    correction_note = forms.CharField(required=False, max_length=500)
    comment = forms.CharField(required=False, max_length=4000)


class StagedChangesAdminMixin(ArticleAdminBase):
    """Mixed into ArticleAdmin, first: its save decides where the words go."""

    # Who is looking, and at what ---------------------------------------------------------

    def stages(self, request, obj) -> bool:
        """Whether this user's save of `obj` becomes a pending change."""
        # Asked of the rule itself, not `has_perm`: superusers pass every permission, and
        # this is not one (an editor's save is never staged).
        return bool(obj is not None and obj.pk) and rules.can_stage_change(request.user, obj)

    def offers_correction_note(self, request, obj) -> bool:
        return bool(obj is not None and obj.pk and obj.is_live) and rules.can_edit(
            request.user, obj
        )

    def _pending(self, request, obj):
        cache = request.__dict__.setdefault("_pending_changes", {})
        if obj.pk not in cache:
            cache[obj.pk] = staging.pending_change(obj)
        return cache[obj.pk]

    def shows_pending_panel(self, request, obj) -> bool:
        if obj is None or not obj.pk:
            return False
        if self.stages(request, obj):
            return True
        return rules.can_publish_change(request.user, obj) and self._pending(request, obj)

    # The form ------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.stages(request, obj):
            fields += [name for name in NOT_STAGED if name not in fields]
        if self.shows_pending_panel(request, obj):
            fields += self._bind_viewer_fields(request, ["pending_change_panel"])
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if self.stages(request, obj):
            return {}  # the slug is not the owner's to change once published
        return super().get_prepopulated_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if fieldsets and self.shows_pending_panel(request, obj):
            name, options = fieldsets[0]
            panel = self._bind_viewer_fields(request, ["pending_change_panel"])
            fieldsets[0] = (name, {**options, "fields": [*panel, *options["fields"]]})
        if fieldsets and self.offers_correction_note(request, obj):
            note = ("Correction", {"fields": ["correction_note"], "description": CORRECTION_HELP})
            fieldsets.insert(1, note)
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        attrs = {}
        if self.offers_correction_note(request, obj):
            attrs["correction_note"] = CorrectionNoteForm.base_fields["correction_note"]
        pending = self._pending(request, obj) if self.stages(request, obj) else None
        if attrs or pending is not None:
            if pending is not None:
                staged = pending.values

                def __init__(form, *args, **kw):
                    base.__init__(form, *args, **kw)
                    # The owner goes on from what they proposed, not from the live words.
                    form.initial.update({k: v for k, v in staged.items() if k in form.fields})

                attrs["__init__"] = __init__
            kwargs["form"] = type(base.__name__, (base,), attrs)
        return super().get_form(request, obj, change=change, **kwargs)

    # Saving ----------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and self.stages(request, obj):
            values = staging.values_from_form(form.cleaned_data)
            request._staged_change = staging.stage_change(obj, user=request.user, values=values)
            request._staged = True
            return  # the article itself is not written
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("correction_note") if change else ""
        if note:
            staging.record_correction(obj, user=request.user, note=note)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_staged", False):
            return  # links are part of the pending change
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_staged", False):
            return "Proposed a change (waiting for an editor)"  # no formset was saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_staged", False):
            # Not VersionAdmin's: it would name a revision, and nothing was versioned.
            return LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[obj],
                action_flag=CHANGE,
                change_message=message,
                single_object=True,
            )
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not getattr(request, "_staged", False):
            return super().response_change(request, obj)
        if request._staged_change is None:
            messages.info(
                request, "Nothing differs from the live article: no change is waiting now."
            )
        else:
            messages.success(
                request,
                "Saved as a proposed change. Readers still see the published version "
                "until an editor publishes your change.",
            )
        return HttpResponseRedirect(self.change_url(obj))

    # The panel and the review page ---------------------------------------------------

    @viewer_display(description="changes to the live article")
    def pending_change_panel(self, request, obj):
        change = self._pending(request, obj)
        context = {
            "article": obj,
            "change": change,
            "stages": self.stages(request, obj),
            "may_publish": rules.can_publish_change(request.user, obj),
            "review_url": reverse("admin:articles_article_pending", args=[obj.pk]),
        }
        return render_to_string("admin/articles/article/_pending_change_panel.html", context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pending-change/",
                self.admin_site.admin_view(self.pending_change_view),
                name="articles_article_pending",
            ),
        ] + super().get_urls()

    def pending_change_view(self, request, object_id):
        """GET: the waiting change against the live version. POST: publish or discard it
        (editors), or withdraw it (its author)."""
        article = self.get_article(request, object_id)
        change = staging.pending_change(article)
        if request.method == "POST":
            return self._decide(request, article, change)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if change is None:
            messages.info(request, "No change to this article is waiting for an editor.")
            return HttpResponseRedirect(self.change_url(article))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Proposed change to “{article.title}”",
            "change": change,
            "changes": staging.changes_against_live(change),
            "overwrites": staging.live_changed_since(change),
            "may_publish": rules.can_publish_change(request.user, article),
            "may_withdraw": change.author_id == request.user.pk,
            "offers_note": article.is_live,
        }
        return TemplateResponse(request, "admin/articles/article/pending_change.html", context)

    def _decide(self, request, article, change):
        form = PendingDecisionForm(request.POST)
        if change is None:
            messages.error(request, "No change to this article is waiting: nothing was done.")
            return HttpResponseRedirect(self.change_url(article))
        if not form.is_valid():
            messages.error(request, "Choose to publish, discard or withdraw the change.")
            return HttpResponseRedirect(request.path)
        action = form.cleaned_data["action"]
        try:
            if action == "publish":
                staging.publish_change(
                    change, user=request.user, correction_note=form.cleaned_data["correction_note"]
                )
                done = "Published the proposed change: readers see it now."
            elif action == "discard":
                staging.discard_change(
                    change, user=request.user, comment=form.cleaned_data["comment"]
                )
                done = "Discarded the proposed change; the live article is as it was."
            else:
                staging.withdraw_change(change, user=request.user)
                done = "Withdrew your proposed change."
        except PermissionDenied as error:
            raise PermissionDenied(refusal_message(error)) from None
        except ValidationError as error:
            messages.error(request, refusal_message(error))
            return HttpResponseRedirect(self.change_url(article))
        messages.success(request, done)
        return HttpResponseRedirect(self.change_url(article))
