"""Public person and company pages."""

from django.shortcuts import get_object_or_404, render

from articles.models import Article

from .models import Company, Person, Position


def person_detail(request, slug: str):
    person = get_object_or_404(Person, slug=slug)
    positions = Position.objects.filter(person=person).timeline()
    articles = Article.objects.published().filter(people=person).with_list_data()[:20]
    return render(
        request,
        "people/person.html",
        {"person": person, "positions": positions, "articles": articles},
    )


def company_detail(request, slug: str):
    company = get_object_or_404(Company.objects.with_page_data(), slug=slug)
    positions = Position.objects.filter(company=company).timeline()
    articles = Article.objects.published().filter(companies=company).with_list_data()[:20]
    return render(
        request,
        "people/company.html",
        {"company": company, "positions": positions, "articles": articles},
    )
