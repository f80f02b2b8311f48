"""Which pages a build must render: those that read something that changed.

The facts of the new site are compared with the last build's (openings.facts); the
queries that read a changed fact are worked out again, and count as changed when their
answer did; the pages that read any changed fact or query are rendered, as are the
pages new to the plan or made another way. Nothing here knows what any page shows:
that is what each page noted while it was rendered (openings.graph).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .facts import (
    QUERIES,
    SETTINGS,
    Facts,
    Key,
    Reader,
    changed_keys,
    facts_of,
    template_key,
    updated_facts,
)
from .graph import Graph, page_node
from .models import Site
from .pages import Plan
from .sources import Content
from .state import LastBuild


@dataclass
class Work:
    """What this build renders and removes, and the facts and graph it leaves."""

    facts: Facts
    graph: Graph
    render: list[str]  # output files, in the plan's order
    gone: set[str] = field(default_factory=set)  # output files of the last build no longer planned
    changed: set[Key] = field(default_factory=set)  # the facts that changed


def settings_facts(settings: str, templates: Mapping[str, str]) -> Facts:
    facts: Facts = {SETTINGS: settings}
    facts.update((template_key(name), digest) for name, digest in templates.items())
    return facts


def plan_work(
    last: LastBuild | None,
    content: Content,
    plan: Plan,
    settings: str,
    templates: Mapping[str, str],
) -> Work:
    """Everything to render after `last` (all of it without one)."""
    site = content.site
    own = settings_facts(settings, templates)
    if last is None:
        return Work(facts_of(site) | own, Graph(), list(plan))
    if content.touched is None:  # read afresh (a new day): compare every fact
        facts = facts_of(site)
        facts |= {
            k: v for k, v in last.facts.items() if k[0] in QUERIES and k[1] in site.role_by_slug
        }
        changed = changed_keys(
            {k: v for k, v in last.facts.items() if k[0] not in ("settings", "template")}, facts
        )
        taken_out = {k[1] for k in last.facts if k[0] == "role"} - site.role_by_slug.keys()
    else:
        facts, changed = updated_facts(last.facts, site, content.gone, content.new, content.touched)
        taken_out = {r.slug for r in content.gone} - site.role_by_slug.keys()
    changed |= changed_keys(
        {k: v for k, v in last.facts.items() if k in own or k[0] == "template"}, own
    )
    facts |= own
    graph = last.graph
    changed |= _requery(site, facts, graph, changed, taken_out)
    gone = last.plan.keys() - plan.keys()
    for rel in gone:
        graph.drop(page_node(rel))
    todo = {node[1] for node in graph.readers(changed) if node[0] == "page"}
    todo |= {rel for rel, entry in plan.items() if last.plan.get(rel) != entry}
    todo |= {rel for rel in plan if page_node(rel) not in graph.deps}
    return Work(facts, graph, [rel for rel in plan if rel in todo], gone, changed)


def _requery(
    site: Site, facts: Facts, graph: Graph, changed: set[Key], taken_out: set[str]
) -> set[Key]:
    """Work the queries that read a changed fact out again (and drop those of roles gone);
    return the query keys whose answer changed."""
    stale = {node for node in graph.readers(changed) if node[0] in QUERIES}
    stale |= {(query, slug) for slug in taken_out for query in QUERIES}
    answers: set[Key] = set()
    reader = Reader(site, facts)
    for node in sorted(stale):
        query, slug = node
        role = site.role_by_slug.get(slug)
        if role is None:
            graph.drop(node)
            if facts.pop(node, None) is not None:
                answers.add(node)
            continue
        getattr(reader, query)(role)
        keys, digest = reader.queries.pop(node)
        graph.record(node, keys)
        if facts.get(node) != digest:
            facts[node] = digest
            answers.add(node)
    return answers
