"""Public person and company pages."""

import pytest

from articles import workflow
from articles.models import Article
from people.models import Company, Person, Position, Quote
from tests.public_pages import Page
from tests.story_graph import build_story_graph

pytestmark = pytest.mark.django_db

# The person (public: named in or sourcing a published article) with their photo; their
# public roles, and those roles' published sources; the page-language versions of those
# sources; their quotes used in published articles, and the quotes' translations; the
# page of articles about or by them, its authors and sections; the site menu's sections.
PERSON_PAGE_QUERIES = 10
# The company (public); the family tree (every company's parent link), then whether its
# near members are public; the roles at it, their published sources and those sources'
# page-language versions; the page of articles naming it, its authors and sections; the
# site menu's sections.
COMPANY_PAGE_QUERIES = 10


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return Page.of(response)


def test_person_page_has_bio_roles_quotes_and_stories(client):
    page = get_page(client, "/people/lei-jun/")
    text = page.text
    assert page.html_lang == "en"
    assert "Lei Jun" in text and "雷军" in text
    # The native name is marked as simplified Chinese, as the editors recorded it.
    assert ("span", "zh-Hans") in page.lang_attrs
    assert "Founder, chair and chief executive of Xiaomi." in text  # bio
    assert "Roles over time" in text and "In their own words" in text
    assert "Full speed ahead!" in text
    assert "Lei Jun steps down as executive director of Kingsoft" in text  # a story
    assert any(link.get("href") == "/articles/?person=lei-jun" for link in page.links)


def test_roles_timeline_shows_dates_at_their_precision_and_how_roles_ended(client):
    html = client.get("/people/lei-jun/").content.decode()
    assert '<time datetime="1998">1998</time> – <time datetime="2007">2007</time>' in html
    assert 'until <time datetime="2021-10-15">15 Oct 2021</time>' in html
    assert 'until <time datetime="2022-04">Apr 2022</time>' in html
    assert 'since <time datetime="2021-09-01">1 Sep 2021</time>' in html
    assert "Resigned" in html and "Removed" in html and "Still held" in html
    assert (
        '<span class="badge badge--replaced">Replaced</span> by '
        '<a href="/people/zeng-xuezhong/">Zeng Xuezhong</a> on '
        '<time datetime="2021-12-07">7 Dec 2021</time>'
    ) in html
    # Roles come in the order they happened.
    assert html.index("Chief executive") < html.index("Board member") < html.index("Chairman")


def test_roles_timeline_links_its_sources_in_the_reader_language(client):
    html = client.get("/people/lei-jun/?lang=nl").content.decode()
    assert "Gemeld in" in html
    assert '<a href="/nl/lei-jun-geeft-functies-op-voor-xiaomi-autos/">' in html
    assert 'tot <time datetime="2021-10-15">15 okt 2021</time>' in html
    assert "Afgetreden" in html  # how the role ended, in Dutch
    turkish = client.get("/people/lei-jun/?lang=tr").content.decode()
    assert '<time datetime="2021-10-15">15 Eki 2021</time> tarihine kadar' in turkish


def test_person_quotes_in_the_page_language(client):
    html = client.get("/people/manu-kumar-jain/?lang=nl").content.decode()
    assert '<blockquote lang="nl"><p>Verandering is de enige constante in het leven.' in html
    assert "Instagram post announcing his departure from Xiaomi" in html
    assert '<time datetime="2023">2023</time>' in html
    english = client.get("/people/manu-kumar-jain/").content.decode()
    assert '<blockquote lang="en"><p>Change is the only constant in life.' in english


def test_person_stories_prefer_the_page_language(client):
    page = get_page(client, "/people/manu-kumar-jain/?lang=nl")
    hrefs = {link.get("href") for link in page.links}
    assert "/nl/manu-kumar-jain-verlaat-xiaomi/" in hrefs
    assert "/en/manu-kumar-jain-leaves-xiaomi/" not in hrefs


def test_company_page_has_parent_subsidiaries_people_and_stories(client):
    page = get_page(client, "/companies/xiaomi/")
    text = page.text
    assert "Xiaomi Group" in text and "1810:HKEX" in text
    assert "Subsidiaries" in text and "Xiaomi India" in text
    assert "People and their roles" in text and "Wang Xiang" in text and "President" in text
    assert "Manu Kumar Jain leaves Xiaomi after nine years" in text


def test_company_page_lists_the_people_of_its_subsidiaries_at_any_depth(client):
    html = client.get("/companies/xiaomi/").content.decode()
    # Manu Kumar Jain's role was at Xiaomi India: listed here, saying where it was.
    assert (
        '<a href="/people/manu-kumar-jain/">Manu Kumar Jain</a>, <span>Managing director</span>, '
        '<a href="/companies/xiaomi-india/">Xiaomi India</a>'
    ) in html
    assert "Zeng Xuezhong" in html  # at the Wuhan subsidiary
    india = client.get("/companies/xiaomi-india/").content.decode()
    assert "Lei Jun" not in india.split("People and their roles", 1)[1].split("</section>")[0]
    india = get_page(client, "/companies/xiaomi-india/?lang=nl")
    assert "Onderdeel van Xiaomi Group" in india.text
    assert any(link.get("href") == "/companies/xiaomi/?lang=nl" for link in india.links)


def test_company_people_over_time_with_successor(client):
    html = client.get("/companies/xiaomi-technology-wuhan/").content.decode()
    assert '<a href="/people/lei-jun/">Lei Jun</a>' in html
    assert '<a href="/people/zeng-xuezhong/">Zeng Xuezhong</a>' in html
    assert "Replaced" in html


def test_entity_pages_take_their_language_from_lang(client):
    page = get_page(client, "/companies/kingsoft/?lang=tr")
    assert page.html_lang == "tr" and "Kişiler ve görevleri" in page.text
    assert page.canonical[0].endswith("/companies/kingsoft/?lang=tr")
    assert dict(page.alternates)["x-default"].endswith("/companies/kingsoft/")


@pytest.mark.parametrize(
    "url",
    [
        "/people/nobody/",
        "/companies/nothing/",
        "/people/lei-jun/?lang=zz",
        "/people/lei-jun/?lang=" + "x" * 3000,
        "/companies/xiaomi/?lang=%F0%9F%92%A5",
        "/people/%E9%9B%B7%E5%86%9B/",  # 雷军: not a slug
        "/people/" + "a" * 500 + "/",
    ],
)
def test_bad_entity_urls_are_not_found(client, url):
    page = get_page(client, url, status=404)
    assert "main" in page.tags


# -- Nothing unpublished shows -------------------------------------------------------------


def test_person_known_only_from_drafts_has_no_page(client, users):
    secret = Person.objects.create(name="Secret Buyer", slug="secret-buyer", bio="Scoop.")
    draft = Article.objects.get(slug="lei-jun-roles-one-by-one")  # in review
    draft.people.add(secret)
    Quote.objects.create(speaker=secret, text="No comment.", language="en").articles.add(draft)
    assert client.get("/people/secret-buyer/").status_code == 404
    assert client.get("/articles/?person=secret-buyer").status_code == 400


def test_company_known_only_from_drafts_has_no_page_and_no_link(client):
    target = Company.objects.create(
        name="Takeover Target", slug="takeover-target", parent=Company.objects.get(slug="xiaomi")
    )
    Article.objects.get(slug="lei-jun-roles-one-by-one").companies.add(target)
    assert client.get("/companies/takeover-target/").status_code == 404
    html = client.get("/companies/xiaomi/").content.decode()
    assert "Takeover Target" not in html
    [data] = Page.of(client.get("/companies/xiaomi/")).json_ld
    assert "Takeover Target" not in {sub["name"] for sub in data["subOrganization"]}


def test_roles_and_quotes_known_only_from_drafts_stay_hidden(client):
    lei = Person.objects.get(slug="lei-jun")
    draft = Article.objects.get(slug="lei-jun-roles-one-by-one")
    role = Position.objects.create(
        person=lei, company=Company.objects.get(slug="kingsoft"), title="Secret adviser"
    )
    role.sources.add(draft)
    Quote.objects.create(speaker=lei, text="Unreleased words.", language="en").articles.add(draft)
    html = client.get("/people/lei-jun/").content.decode()
    assert "Secret adviser" not in html and "Unreleased words." not in html
    assert "lei-jun-roles-one-by-one" not in html


def test_unpublished_story_leaves_person_and_company_pages(client, users):
    kingsoft_story = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    workflow.unpublish(kingsoft_story, user=users["editor"])
    for url in ("/people/lei-jun/", "/companies/kingsoft/", "/people/zou-tao/"):
        response = client.get(url)
        html = response.content.decode()
        assert kingsoft_story.get_absolute_url() not in html, url
    # Zou Tao was only ever in that story.
    assert client.get("/people/zou-tao/").status_code == 404


# -- Query budgets -------------------------------------------------------------------------


def queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_person_page_queries_do_not_grow(client, django_assert_num_queries, no_page_cache):
    small = build_story_graph(1, tag="small")
    big = build_story_graph(50, tag="big")
    client.get(small.person.get_absolute_url())
    url = small.person.get_absolute_url() + "?lang=nl"
    queries(client, url, django_assert_num_queries, PERSON_PAGE_QUERIES)
    url = big.person.get_absolute_url() + "?lang=nl"
    response = queries(client, url, django_assert_num_queries, PERSON_PAGE_QUERIES)
    html = response.content.decode()
    assert html.count('class="quote"') == 50 and html.count('class="role') >= 50


def test_company_page_queries_do_not_grow(client, django_assert_num_queries, no_page_cache):
    small = build_story_graph(1, tag="small")
    big = build_story_graph(50, tag="big")
    client.get(small.company.get_absolute_url())
    url = small.company.get_absolute_url() + "?lang=nl"
    queries(client, url, django_assert_num_queries, COMPANY_PAGE_QUERIES)
    url = big.company.get_absolute_url() + "?lang=nl"
    response = queries(client, url, django_assert_num_queries, COMPANY_PAGE_QUERIES)
    assert response.content.decode().count("big Company") >= 50


def test_background_roles_without_sources_show_but_link_only_public_pages(client):
    lei = Person.objects.get(slug="lei-jun")
    quiet = Company.objects.create(name="Quiet Holdings", slug="quiet-holdings")
    Position.objects.create(person=lei, company=quiet, title="Investor")
    Position.objects.create(person=lei, company=Company.objects.get(slug="jabong"), title="Adviser")
    html = client.get("/people/lei-jun/").content.decode()
    assert "Investor</span>, Quiet Holdings" in html  # shown, but no page to link to
    assert 'href="/companies/quiet-holdings/' not in html
    assert 'Adviser</span>, <a href="/companies/jabong/">Jabong</a>' in html
