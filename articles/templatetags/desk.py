from django import template

from articles.desk.dashboard import desk_for

register = template.Library()


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def editorial_desk(context):
    """The dashboard on the admin's front page, for the signed-in user."""
    request = context["request"]
    return {"desk": desk_for(request.user), "request": request}
