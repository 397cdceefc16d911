from django import template

from articles import notifications
from articles.desk.dashboard import desk_for

register = template.Library()


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def editorial_desk(context):
    """The dashboard on the admin's front page, for the signed-in user."""
    request = context["request"]
    return {"desk": desk_for(request.user), "request": request}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread count (capped), once per request however often asked."""
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = notifications.unread_count(request.user)
    return request._unread_notifications


@register.inclusion_tag("admin/articles/_inbox.html", takes_context=True)
def notification_inbox(context):
    """The newest notifications of the signed-in user, on the dashboard."""
    request = context["request"]
    items = notifications.inbox(request.user)
    for item in items:
        item.description = notifications.describe(item)
    return {
        "items": items,
        "unread": unread_notifications(context),
        "cap": notifications.UNREAD_CAP,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
