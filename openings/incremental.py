"""Which pages a build must render: those that read something that changed.

The facts of the new site are made from the last build's, in place (openings.facts);
the queries that read a changed fact are worked out again, and count as changed when
their answer did; the pages that read any changed fact or query are rendered, as are
the files new to the plan or made another way. Nothing here knows what any page shows:
that is what each page noted while it was rendered (openings.graph). A build that fails
undoes its changes to the facts and the graph, which stay the last build's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .facts import (
    QUERIES,
    SETTINGS,
    Facts,
    Key,
    Log,
    changed_keys,
    facts_of,
    template_key,
    update_facts,
)
from .graph import Graph, page_node
from .plan import Planned
from .reader import Reader
from .site import Site
from .sources import Content
from .state import LastBuild


@dataclass
class Work:
    """What this build renders and removes, and the facts and graph it leaves."""

    facts: Facts
    graph: Graph
    render: list[str]  # output files, sorted
    gone: set[str] = field(default_factory=set)  # output files of the last build no longer planned
    changed: set[Key] = field(default_factory=set)  # the facts that changed
    log: Log | None = None

    def undo(self) -> None:
        """Put the facts and the graph back as the last build left them."""
        if self.log is not None:
            self.log.undo()
        self.graph.undo()

    def settle(self) -> None:
        self.graph.settle()
        if self.log is not None:
            self.log.before.clear()


def settings_facts(settings: str, templates: Mapping[str, str]) -> Facts:
    facts: Facts = {SETTINGS: settings}
    facts.update((template_key(name), digest) for name, digest in templates.items())
    return facts


def plan_work(
    last: LastBuild | None,
    content: Content,
    planned: Planned,
    settings: str,
    templates: Mapping[str, str],
    *,
    kept: bool = True,
) -> Work:
    """Everything to render after `last` (all of it without one). A build whose state is
    not `kept` (`--no-cache`) has no use for the facts: it gets none."""
    site = content.site
    own = settings_facts(settings, templates)
    if last is None:
        facts = facts_of(site) | own if kept else {}
        return Work(facts, Graph(), sorted(planned.plan))
    log = Log(last.facts)
    if content.touched is None:  # read afresh (a new day): compare every fact
        fresh = facts_of(site)
        by_slug = site.role_by_slug
        fresh |= {k: v for k, v in last.facts.items() if k[0] in QUERIES and k[1] in by_slug}
        base = {k: v for k, v in last.facts.items() if k[0] not in ("settings", "template")}
        for key in changed_keys(base, fresh):
            if key in fresh:
                log.put(key, fresh[key])
            else:
                log.pop(key)
        taken_out = {k[1] for k in last.facts if k[0] == "role"} - site.role_by_slug.keys()
    else:
        update_facts(log, last.site, site, content.gone, content.new, content.touched)
        taken_out = {r.slug for r in content.gone} - site.role_by_slug.keys()
    old_templates = [k for k in last.facts if k[0] == "template" and k not in own]
    for key in old_templates:
        log.pop(key)
    for key, value in own.items():
        log.put(key, value)
    changed = log.changed()
    graph = last.graph
    readers = graph.readers(changed)  # one look at every node's reads (from disk)
    answers = _requery(site, log, graph, readers, taken_out)
    changed |= answers
    if answers:  # the pages that read an answer that changed
        readers |= graph.readers(answers)
    for rel in planned.gone:
        graph.drop(page_node(rel))
    todo = {node[1] for node in readers if node[0] == "page"}
    todo |= planned.changed
    todo &= planned.plan.keys()
    return Work(last.facts, graph, sorted(todo), planned.gone, changed, log)


def _requery(
    site: Site, log: Log, graph: Graph, readers: set[Key], taken_out: set[str]
) -> set[Key]:
    """Work the queries among the `readers` of a changed fact out again (and drop those of
    roles gone); return the query keys whose answer changed."""
    stale = {node for node in readers if node[0] in QUERIES}
    stale |= {(query, slug) for slug in taken_out for query in QUERIES}
    answers: set[Key] = set()
    reader = Reader(site, log.facts)
    for node in sorted(stale):
        query, slug = node
        role = site.role_by_slug.get(slug)
        if role is None:
            graph.drop(node)
            if node in log.facts:
                log.pop(node)
                answers.add(node)
            continue
        getattr(reader, query)(role)
        keys, digest = reader.queries.pop(node)
        graph.record(node, keys)
        if log.facts.get(node) != digest:
            log.put(node, digest)
            answers.add(node)
    return answers
