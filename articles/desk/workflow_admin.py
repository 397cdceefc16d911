"""The editorial desk inside ArticleAdmin: workflow buttons and timeline, who may edit
what, history you can read (compare, revert, recover) and previews.

Kept apart from `admin.py` as a mixin so the admin's declarations stay short; every
button here calls a domain operation (workflow, history, preview) and nothing else.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from articles import history, workflow
from articles.desk import preview
from articles.desk.admin_base import ArticleAdminBase
from articles.models import Article, ArticleEvent, PreviewLink

Status = Article.Status


class WorkflowStateFilter(admin.SimpleListFilter):
    """Status as editors think of it: "scheduled" is published with a time still ahead."""

    title = "workflow state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = [(s.value, s.label) for s in Status if s != Status.PUBLISHED]
        return [
            *states[:4],
            ("scheduled", "Scheduled (time still ahead)"),
            ("live", "Published and live"),
            *states[4:],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset & Article.objects.scheduled()
        if value == "live":
            return queryset & Article.objects.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class PublishTimeWidget(AdminSplitDateTime):
    """The admin's date and time boxes (the site's date format, "Today"/"Now" and the
    calendar and clock), which also read one `YYYY-MM-DDTHH:MM` value, as posted by
    scripts and older pages."""

    def __init__(self):
        super().__init__(attrs={"id": "wf-publish-at"})
        self.widgets[0].attrs["aria-label"] = "Publish date (YYYY-MM-DD)"
        self.widgets[1].attrs["aria-label"] = "Publish time (HH:MM)"

    def value_from_datadict(self, data, files, name):
        if f"{name}_0" not in data and data.get(name):
            date, _sep, time = data[name].replace("T", " ").partition(" ")
            return [date, time]
        return super().value_from_datadict(data, files, name)


class TransitionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)
    publish_at = forms.SplitDateTimeField(
        required=False,
        widget=PublishTimeWidget,
        input_time_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid_date": "Enter the publish date as YYYY-MM-DD."},
    )

    def problems(self, transition: str) -> list[str]:
        """What stops `transition` from being taken with this input."""
        if not self.is_valid():
            return [" ".join(errors) for errors in self.errors.values()]
        label = workflow.TRANSITION_LABELS[transition]
        if transition in workflow.NEEDS_COMMENT and not self.cleaned_data["comment"].strip():
            return [f"{label}: say in the comment what should change."]
        if transition in workflow.NEEDS_TIME and self.cleaned_data["publish_at"] is None:
            return [f"{label}: give the new publish date and time."]
        return []


class RevertForm(forms.Form):
    # A CharField refuses NUL bytes (PostgreSQL stores no NUL in text) as a form error.
    comment = forms.CharField(required=False, max_length=4000)


class PreviewLinkForm(forms.Form):
    LIFETIMES = {"1h": 1 / 24, "1d": 1, "3d": 3, "7d": 7, "30d": 30}
    lifetime = forms.ChoiceField(choices=[(k, k) for k in LIFETIMES], initial="3d")

    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.LIFETIMES[self.cleaned_data["lifetime"]])


class ArticleDeskMixin(ArticleAdminBase):
    """Mixed into ArticleAdmin (before VersionAdmin)."""

    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"

    # Who may edit what ------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            # Translators hold no general change permission, yet edit their translations.
            return super().has_change_permission(request) or request.user.has_perm(
                "articles.translate_article"
            )
        # To write it, or (its owner, once it is published) to propose a change.
        return request.user.has_perm("articles.change_article", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return request.user.has_perm("articles.delete_article", obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "publish_time"]
        if not request.user.has_perm("articles.edit_any_article"):
            fields.append("owner")
        return fields

    def get_fieldsets(self, request, obj=None):
        # The publish time belongs to the workflow (publish/schedule), not the form.
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (name, {**opts, "fields": [
                "publish_time" if f == "published_at" else f for f in opts["fields"]
            ]})
            for name, opts in fieldsets
        ]  # fmt: skip

    @admin.display(description="publish time")
    def publish_time(self, obj):
        if obj is None or obj.published_at is None:
            return "—  (set by Publish or Schedule)"
        stamp = timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M %Z")
        return f"{stamp} (scheduled)" if obj.is_scheduled else stamp

    @admin.display(description="status", ordering="status")
    def workflow_state(self, obj):
        if obj.is_scheduled:
            return f"Scheduled for {timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}"
        return obj.get_status_display()

    # URLs ---------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        desk = [
            path(
                "<path:object_id>/workflow/<slug:transition>/",
                wrap(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/preview-links/",
                wrap(self.create_preview_link_view),
                name="articles_article_previewlinks",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(self.revoke_preview_link_view),
                name="articles_article_previewlink_revoke",
            ),
        ]
        return desk + super().get_urls()

    # Workflow -----------------------------------------------------------------------

    def workflow_view(self, request, object_id, transition):
        """POST: take one workflow step. Refused for lack of permission: 403, nothing
        changes. Refused for the article's state or bad input: a message, nothing changes."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if transition not in workflow.OPERATIONS:
            raise Http404("No such workflow step.")
        article = self.get_article(request, object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(self.change_url(article))
        return self._take_step(request, article, transition, form)

    def _take_step(self, request, article, transition, form):
        label = workflow.TRANSITION_LABELS[transition]
        try:
            workflow.take(
                article,
                transition=transition,
                user=request.user,
                comment=form.cleaned_data["comment"],
                at=form.cleaned_data["publish_at"],
            )
        except ValidationError as exc:
            messages.error(request, f"{label}: " + " ".join(exc.messages))
            return HttpResponseRedirect(self.change_url(article))
        if article.is_scheduled:
            when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M %Z")
            messages.success(request, f"{label}: done. It goes live at {when}.")
        else:
            now = article.display_status
            messages.success(request, f"{label}: done. Status now: {now}.")
        return HttpResponseRedirect(self.change_url(article))

    # The change form's buttons (saved first: see admin_base) ---------------------------

    def form_actions(self):
        return {
            **super().form_actions(),
            "_workflow": self.workflow_action,
            "_preview_link": self.preview_link_action,
            "_revoke_preview_link": self.revoke_preview_link_action,
        }

    def form_action_errors(self, request, article, action):
        errors = super().form_action_errors(request, article, action)
        if action == "_workflow":
            transition = request.POST.get("_workflow", "")
            if transition not in workflow.OPERATIONS:
                return [*errors, "There is no such workflow step."]
            if not workflow.may_take(request.user, article, transition):
                label = workflow.TRANSITION_LABELS[transition]
                return [
                    *errors,
                    f"“{label}” is not open to you on this article now "
                    f"(it is {article.display_status.lower()}).",
                ]
            errors += TransitionForm(request.POST).problems(transition)
        elif action == "_preview_link":
            if not preview.may_share_previews(request.user):
                errors.append("Only editors can share preview links.")
            elif not PreviewLinkForm(request.POST).is_valid():
                errors.append("Choose how long the preview link should work.")
        return errors

    def workflow_action(self, request, article):
        form = TransitionForm(request.POST)
        form.is_valid()  # checked before the save (form_action_errors)
        return self._take_step(request, article, request.POST["_workflow"], form)

    def preview_link_action(self, request, article):
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            raise ValidationError("Choose how long the preview link should work.")
        return self._make_preview_link(request, article, form)

    def revoke_preview_link_action(self, request, article):
        link = PreviewLink.objects.filter(
            pk=request.POST.get("_revoke_preview_link", "").strip() or None, article=article
        ).first()
        if link is None:
            raise ValidationError("That preview link is not one of this article's.")
        preview.revoke_link(link, user=request.user)
        messages.success(request, "Preview link revoked: it no longer opens.")
        return HttpResponseRedirect(self.change_url(article))

    def desk_context(self, request, article: Article) -> dict:
        """What the workflow panel on the change page shows."""
        user = request.user
        actions = [
            {
                "name": name,
                "label": workflow.TRANSITION_LABELS[name],
                "needs_comment": name in workflow.NEEDS_COMMENT,
                "takes_time": name in workflow.TAKES_TIME,
                "forward": name in {"submit", "approve", "publish", "publish_now", "reopen"},
            }
            for name in workflow.available_transitions(user, article)
        ]
        can_share = preview.may_share_previews(user) and not article.is_live
        links = []
        if can_share:
            for link in PreviewLink.objects.active().filter(article=article):
                url = reverse("articles:preview", args=[preview.token_for(link)])
                links.append({"link": link, "url": request.build_absolute_uri(url)})
        # A form sent back with errors keeps what was typed here too.
        step = TransitionForm(request.POST if request.method == "POST" else None)
        return {
            "workflow": {
                "article": article,
                "actions": actions,
                "takes_time": any(a["takes_time"] for a in actions),
                "form": step,
                "events": article.events.select_related("actor")[:100],
                # Directly, or (its owner, once published) as a proposed change.
                "can_edit": user.has_perm("articles.change_article", article),
                "can_share": can_share,
                "preview_links": links,
                "lifetimes": list(PreviewLinkForm.LIFETIMES),
                "timezone": timezone.get_current_timezone_name(),
            }
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.desk_context(request, obj))
            if context["workflow"]["takes_time"]:
                # The publish time's calendar and clock.
                context["media"] = context["media"] + context["workflow"]["form"].media
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Preview ------------------------------------------------------------------------

    def preview_view(self, request, object_id):
        """Staff: the article exactly as the public page will render it."""
        article = self.get_article(request, object_id)
        article = Article.objects.with_page_data().get(pk=article.pk)
        return preview.render_preview(request, article)

    def create_preview_link_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_article(request, object_id)
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose how long the preview link should work.")
            return HttpResponseRedirect(self.change_url(article))
        try:
            return self._make_preview_link(request, article, form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(self.change_url(article))

    def _make_preview_link(self, request, article, form):
        link = preview.create_link(article, user=request.user, lifetime=form.duration())
        url = request.build_absolute_uri(
            reverse("articles:preview", args=[preview.token_for(link)])
        )
        until = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        messages.success(request, f"Preview link (works until {until}): {url}")
        return HttpResponseRedirect(self.change_url(article))

    def revoke_preview_link_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_article(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        preview.revoke_link(link, user=request.user)
        messages.success(request, "Preview link revoked: it no longer opens.")
        return HttpResponseRedirect(self.change_url(article))

    # Deleting (recoverable from the history) ------------------------------------------

    def delete_model(self, request, obj):
        history.delete_article(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            history.delete_article(article, user=request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The timeline goes with the article and comes back with it when it is recovered:
        # deleting it needs no permission of its own (nobody deletes events by hand).
        perms_needed = perms_needed - {ArticleEvent._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "GET":
            article = self.get_object(request, object_id)
            translations = list(article.translations.all()[:20]) if article else []
            if translations:
                names = ", ".join(f"{t.get_language_display()} (“{t.title}”)" for t in translations)
                messages.warning(
                    request,
                    f"Its translations stay, as versions of the same story: {names}. They are "
                    "no longer linked to it as their source until it is recovered (Recover "
                    "deleted articles), which links them again.",
                )
        return super().delete_view(request, object_id, extra_context)

    # History ------------------------------------------------------------------------

    def _history_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": article,
            "object_id": article.pk,
            "title": title,
            "has_change_permission": self.has_change_permission(request, article),
        }

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_article(request, object_id)
        versions = list(history.article_versions(article))
        extra = {
            "versions": versions,
            "compare_url": reverse("admin:articles_article_compare", args=[article.pk]),
            "can_revert": workflow.can_edit(request.user, article),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra)

    def compare_view(self, request, object_id):
        """Two versions side by side, changed words and markup highlighted. Opens on what a
        reviewer needs (history.comparison); `base` picks another preset, `old`/`new` any
        two versions."""
        article = self.get_article(request, object_id)
        versions = list(history.article_versions(article))
        if not versions:
            messages.info(request, "This article has no saved versions to compare yet.")
            return HttpResponseRedirect(self.change_url(article))
        by_id = {str(v.pk): v for v in versions}
        chosen_old, chosen_new = request.GET.get("old", ""), request.GET.get("new", "")
        if chosen_old in by_id or chosen_new in by_id:
            preset = None
            new = by_id.get(chosen_new, versions[0])
            old = by_id.get(chosen_old, versions[1] if len(versions) > 1 else versions[0])
            if old.revision.date_created > new.revision.date_created:
                old, new = new, old
            description = "The two versions you chose."
        else:
            preset = history.comparison(article, versions, request.GET.get("base", ""))
            old, new, description = preset.old, preset.new, preset.description
        base_url = reverse("admin:articles_article_compare", args=[article.pk])
        presets = [
            {"key": key, "label": label, "url": f"{base_url}?base={key}"}
            for key, label in history.COMPARISONS.items()
            if key != "live" or article.status == Status.PUBLISHED
        ]
        context = {
            **self._history_context(request, article, f"Compare versions of “{article.title}”"),
            "versions": versions,
            "old": old,
            "new": new,
            "presets": presets,
            "preset": preset.key if preset else "",
            "description": description,
            "same": old.pk == new.pk or history.same_content(old, new),
            "changes": history.compare_versions(old, new),
            "can_revert": workflow.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """GET: what reverting to this version would change. POST: revert (a new version;
        the workflow state stays as it is)."""
        article = self.get_article(request, object_id)
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        if request.method == "POST":
            form = RevertForm(request.POST)
            try:
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                history.revert_to_version(
                    article,
                    version=version,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                messages.error(request, "Could not revert: " + " ".join(exc.messages))
                return HttpResponseRedirect(request.path)
            when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
            messages.success(
                request,
                f"Reverted to the version of {when}. That is a new version; "
                "the old ones are all kept.",
            )
            return HttpResponseRedirect(self.change_url(article))
        article = Article.objects.get(pk=article.pk)
        context = {
            **self._history_context(request, article, f"Revert “{article.title}”?"),
            "version": version,
            "changes": history.compare_field_dicts(
                history.current_field_dict(article), history.reverted_field_dict(article, version)
            ),
            "can_revert": workflow.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revert.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        """GET: the deleted article as it was. POST: bring it back as a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(history.deleted_articles(), pk=version_id)
        if request.method == "POST":
            try:
                article = history.recover_article(version, user=request.user)
            except ValidationError as exc:
                messages.error(request, "Could not recover: " + " ".join(exc.messages))
                return HttpResponseRedirect(reverse("admin:articles_article_recoverlist"))
            messages.success(request, f"Recovered “{article.title}” as a draft.")
            return HttpResponseRedirect(self.change_url(article))
        data = version.field_dict
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": f"Recover “{version.object_repr}”",
            "version": version,
            "changes": history.compare_field_dicts(data, data),
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)
