"""Site -> the plan: every output file, each a template and its context, or bytes.

The plan is an index (output file -> what makes it: a kind and its subject), cheap to
make for ten thousand roles and to compare with the last build's; `planned_page` gives
the page itself. A page's context is made by a function of a Reader (openings.facts),
which notes everything it hands out: those notes are the page's dependencies. Every
page gets `meta`, `site` (read through the Reader) and the globals `config`, `theme`.

Here are the pages of a subject (a role, its card and old addresses, a skill, a team, a
place, a free page); the pages every site has one of are in openings.site_pages.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from . import urls as u
from .areas import PLACE, REMOTE
from .assemble import SKILL, TEAM
from .listings import Memo
from .models import Area, Department, Role, Skill
from .parts import Parts
from .plan import Entry, has_card, plan
from .planned import Meta, PlannedPage
from .reader import Reader
from .site import Page, Site
from .site_pages import SITE_PAGES
from .structured import faq_page, job_posting

if TYPE_CHECKING:
    from .cards import Cards


def plan_pages(site: Site, memo: Memo | None = None) -> list[PlannedPage]:
    """Every page of the site, in the plan's order."""
    return [planned_page(site, rel, entry, memo) for rel, entry in plan(site).plan.items()]


def planned_page(
    site: Site, rel: str, entry: Entry, memo: Memo | None = None, cards: Cards | None = None
) -> PlannedPage:
    """The page of one plan entry. `memo` keeps each role's part of jobs.json and
    search.json; it may be kept between builds of the same settings. `cards` draws the
    roles' pictures for shared links (`social_cards: true`)."""
    kind, subject = entry
    memo = Parts() if memo is None else memo
    if kind == "role":
        return role_page(site, site.role_by_slug[subject])
    if kind == "card":
        if cards is None:
            raise ValueError("a role's card needs the site's cards (Settings.cards)")
        return card_page(site, site.role_by_slug[subject], cards)
    if kind == "skill":
        return group_page(site, SKILL, site.skill_by_key[subject])
    if kind == "dept":
        return group_page(site, TEAM, site.department_by_key[subject])
    if kind == PLACE:
        return place_page(site, site.place_by_key[subject])
    if kind == "page":
        return free_page(next(p for p in site.pages if p.slug == subject))
    if kind == "alias":
        return redirect_page(site, site.role_by_slug[subject], rel)
    return SITE_PAGES[kind](site, memo)


def redirect_page(site: Site, role: Role, rel: str) -> PlannedPage:
    """A small page at an old address that sends browsers and crawlers to the role's.

    It names only where the role is now (not its title), so editing the role's text
    leaves it as it is; it is `noindex` and never in the sitemap.
    """
    target = html.escape(site.config.urls.absolute(role.path))
    lang = html.escape(site.config.language)
    page = (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>This page has moved</title>\n"
        f'<link rel="canonical" href="{target}">\n<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
        f'<p>This page has moved to <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n'
    ).encode()
    path = rel.removesuffix("index.html")
    return PlannedPage(path, role.source, data=lambda reader: page)


def card_alt(reader: Reader, role: Role) -> str:
    """The picture's text for people who cannot see it: what it shows."""
    title, company, place, pay = reader.card_words(role)
    return " · ".join(x for x in (f"{title} at {company}", place, pay) if x)


def card_page(site: Site, role: Role, cards: Cards) -> PlannedPage:
    def data(reader: Reader) -> bytes:
        from .drawing import CardText

        # What the card shows, as a query: an edit of anything else (its skills, its
        # team) does not make the card again.
        return cards.png(CardText(*reader.card_words(role)))

    return PlannedPage(u.card_path(role.slug), role.source, data=data)


def role_page(site: Site, role: Role) -> PlannedPage:
    def context(reader: Reader) -> dict[str, Any]:
        full = reader.role(role)
        config = site.config
        url = config.urls.absolute(full.path)
        jsonld = [job_posting(full, site, url)] if full.indexable else []
        if full.faq:
            jsonld.append(faq_page(full.faq))
        image = alt = ""
        if has_card(site, full):
            image, alt = config.urls.absolute(u.card_path(full.slug)), card_alt(reader, role)
        meta = Meta(full.title, full.description, full.path, "role", not full.indexable, image, alt)
        return {
            "meta": meta,
            "role": full,
            "role_skills": reader.role_skills(role),
            "department": reader.team_of(role),
            "role_places": reader.role_places(role),
            "related": reader.related(role),
            "jsonld": jsonld,
        }

    return PlannedPage(role.path, role.source, "role.html", context)


def group_page(site: Site, kind: str, group: Skill | Department) -> PlannedPage:
    org = site.config.organization

    def context(reader: Reader) -> dict[str, Any]:
        ref = reader.group_ref(kind, group)
        n = ref.count
        roles = f"{n} open role{'s' * (n != 1)}"
        if kind == SKILL:
            meta = Meta(
                f"{ref.name} roles", f"{roles} at {org} that ask for {ref.name}", ref.path, "skill"
            )
            return {"meta": meta, "skill": ref, "roles": reader.group_roles(kind, group)}
        meta = Meta(f"{ref.name} roles", f"{roles} in {ref.name} at {org}", ref.path, "department")
        return {"meta": meta, "department": ref, "roles": reader.group_roles(kind, group)}

    template = "skill.html" if kind == SKILL else "department.html"
    return PlannedPage(group.path, "content/roles", template, context)


def place_page(site: Site, area: Area) -> PlannedPage:
    """A country's open roles (with its cities' and the remote roles open to it), a
    city's, or the remote roles'."""
    org = site.config.organization

    def context(reader: Reader) -> dict[str, Any]:
        ref = reader.group_ref(PLACE, area)
        n = ref.count
        roles = f"{n} open role{'s' * (n != 1)}"
        remote = area.key == REMOTE
        title = f"{ref.name} roles" if remote else f"Roles in {ref.name}"
        where = ", remote" if remote else f" in {ref.name}"
        meta = Meta(title, f"{roles} at {org}{where}", ref.path, "place")
        country = reader.link(PLACE, area.country) if area.country else None
        cities = []
        if not area.country and area.key != REMOTE:
            places = reader.groups(PLACE)
            cities = [a.ref for a in places if isinstance(a, Area) and a.country == area.key]
        return {
            "meta": meta,
            "place": ref,
            "country": country,
            "cities": cities,
            "roles": reader.group_roles(PLACE, area),
        }

    return PlannedPage(area.path, "content/roles", "place.html", context)


def free_page(page: Page) -> PlannedPage:
    def context(reader: Reader) -> dict[str, Any]:
        own = reader.page(page)
        meta = Meta(own.title, own.description, own.path, "page")
        return {"meta": meta, "page": own, "jsonld": [faq_page(own.faq)] if own.faq else []}

    return PlannedPage(page.path, page.source, "page.html", context)
