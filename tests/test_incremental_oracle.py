"""The oracle: after any sequence of edits, a build from the last build's state (on disk,
as `build` keeps it, and in memory, as `serve` does) equals a fresh full build, byte for
byte. Hypothesis makes the sequences: every kind of edit a role file can get."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import ENVIRON, SITE_YAML, Viewer, tree_digest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from openings.builder import BuildOptions, build_site
from openings.session import BuildSession

SKILLS = ["Go", "Python", "SQL", "Rust", "dbt"]
TEAMS = ["Data", "Web", "Platform"]
DAYS = [f"2026-11-{d:02d}" for d in (2, 9, 16, 20, 25)]


class Role:
    """A role file's fields, written as YAML front matter."""

    def __init__(self, name: str, n: int) -> None:
        self.name = name
        self.fields: dict[str, str] = {
            "title": f"Role {n}",
            "department": TEAMS[n % len(TEAMS)],
            "skills": f"[{SKILLS[n % len(SKILLS)]}, {SKILLS[(n + 2) % len(SKILLS)]}]",
            "date_posted": DAYS[n % len(DAYS)],
            "location": "Berlin, Germany",
        }
        self.body = f"Role number {n}."

    def text(self) -> str:
        lines = "\n".join(f"{k}: {v}" for k, v in self.fields.items())
        return f"---\n{lines}\n---\n\n{self.body}\n"


class Edits(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="openings-oracle-"))
        self.root = self.tmp / "site"
        (self.root / "content/roles").mkdir(parents=True)
        (self.root / "content/pages").mkdir()
        (self.root / "content/site.yaml").write_text(SITE_YAML + "feeds: [indeed, linkedin]\n")
        (self.root / "content/pages/about.md").write_text("---\ntitle: About\n---\nHello.\n")
        self.roles = {f"r{n}": Role(f"r{n}", n) for n in range(5)}
        self.count = 5
        for role in self.roles.values():
            self.write(role)
        self.touched: set[Path] = set()
        # serve, with a browser on the index and two role pages (written first)
        served = self.tmp / "served"
        viewer = Viewer(served, "index.html", "roles/r1/index.html", "roles/r3/index.html")
        options = BuildOptions(root=self.root, output=served)
        self.session = BuildSession(options, ENVIRON, view=viewer)
        self.build()

    def path(self, role: Role) -> Path:
        return self.root / "content/roles" / f"{role.name}.md"

    def write(self, role: Role) -> None:
        self.path(role).write_text(role.text())
        self.touched = getattr(self, "touched", set()) | {self.path(role)}

    def build(self) -> None:
        build_site(BuildOptions(root=self.root), environ=ENVIRON)
        self.session.build(self.touched)
        self.touched = set()

    def pick(self, data: st.DataObject) -> Role:
        return self.roles[data.draw(st.sampled_from(sorted(self.roles)))]

    @rule(data=st.data(), words=st.sampled_from(["More.", "| a | b |\n|---|---|\n| 1 | 2 |", ""]))
    def edit_text(self, data: st.DataObject, words: str) -> None:
        role = self.pick(data)
        role.body += f"\n\n{words}"
        self.write(role)

    @rule(
        data=st.data(),
        field=st.sampled_from(
            [
                "title",
                "date_posted",
                "department",
                "skills",
                "location",
                "valid_through",
                "draft",
                "aliases",
                "slug",
                "description",
            ]
        ),
    )
    def edit_field(self, data: st.DataObject, field: str) -> None:
        role = self.pick(data)
        values = {
            "title": st.sampled_from(["Data Lead", "Zebra Keeper", "A First Role"]),
            "date_posted": st.sampled_from(DAYS),
            "department": st.sampled_from([*TEAMS, "Sales"]),
            "skills": st.lists(st.sampled_from(SKILLS), max_size=3, unique=True).map(
                lambda names: "[" + ", ".join(names) + "]"
            ),
            "location": st.sampled_from(["Hamburg, Germany", "Remote", "Paris, France"]),
            # Closed long ago, a week ago (feed.xml still announces it), or open.
            "valid_through": st.sampled_from(["2026-01-01", "2026-11-20", "2027-06-30"]),
            "draft": st.sampled_from(["true", "false"]),
            "aliases": st.just(f"[/old/{role.name}-{self.count}/]"),
            "slug": st.just(f"{role.name}-{self.count}"),
            "description": st.sampled_from(["Short.", "Another summary."]),
        }
        self.count += 1
        if data.draw(st.booleans()) and field in role.fields and field != "title":
            del role.fields[field]
        else:
            role.fields[field] = data.draw(values[field])
        self.write(role)

    @rule()
    def add_role(self) -> None:
        role = Role(f"r{self.count}", self.count)
        self.count += 1
        self.roles[role.name] = role
        self.write(role)

    @rule(data=st.data())
    def delete_role(self, data: st.DataObject) -> None:
        if len(self.roles) > 1:
            role = self.pick(data)
            self.path(role).unlink()
            self.touched.add(self.path(role))
            del self.roles[role.name]

    @rule(data=st.data())
    def rename_file(self, data: st.DataObject) -> None:
        role = self.pick(data)
        old = self.path(role)
        del self.roles[role.name]
        role.name = f"renamed-{self.count}"
        self.count += 1
        self.roles[role.name] = role
        old.rename(self.path(role))
        self.touched |= {old, self.path(role)}

    @rule()
    def edit_page(self) -> None:
        page = self.root / "content/pages/about.md"
        page.write_text(page.read_text() + "\nMore about us.\n")

    @invariant()
    def both_stores_equal_a_fresh_build(self) -> None:
        self.build()
        fresh = self.tmp / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        build_site(BuildOptions(root=self.root, output=fresh, cache=False), environ=ENVIRON)
        expected = tree_digest(fresh)
        assert tree_digest(self.root / "output") == expected, "build, state on disk"
        assert tree_digest(self.tmp / "served") == expected, "serve, state in memory"

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


Edits.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_incremental_builds_equal_fresh_builds = Edits.TestCase
