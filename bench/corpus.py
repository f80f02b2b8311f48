"""Write N roles as an Openings site and as a Hugo site with the same content.

    python bench/corpus.py N DIR       -> DIR/openings (content folder), DIR/hugo (Hugo site)

Roles of ~700 words: an intro, responsibilities, qualifications, benefits, a table in
most, 3-8 skills from a pool of 150, 3-5 FAQ entries; the same seed gives the same
roles. The Hugo site renders the same pages (role, skill and index pages) with
minimal templates, so the two builds do comparable work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

DEPARTMENTS = [
    "Engineering",
    "Data",
    "Product",
    "Design",
    "Marketing",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Legal",
    "Operations",
    "Security",
]
CITIES = [
    "Berlin, Germany",
    "Munich, Germany",
    "Amsterdam, Netherlands",
    "Paris, France",
    "Madrid, Spain",
    "Lisbon, Portugal",
    "Dublin, Ireland",
    "Vienna, Austria",
    "Stockholm, Sweden",
    "Warsaw, Poland",
    "London, United Kingdom",
    "New York, United States",
    "Toronto, Canada",
    "Sydney, Australia",
]
NOUNS = [
    "Engineer",
    "Manager",
    "Analyst",
    "Designer",
    "Specialist",
    "Lead",
    "Scientist",
    "Consultant",
    "Coordinator",
    "Architect",
]
LEVELS = ["Junior", "", "", "Senior", "Staff", "Principal"]
SKILLS = [
    f"{base}{suffix}"
    for base in (
        "Python",
        "Go",
        "Rust",
        "Java",
        "Kotlin",
        "TypeScript",
        "React",
        "SQL",
        "Kafka",
        "Docker",
        "Terraform",
        "AWS",
        "Figma",
        "Excel",
        "SEO",
        "Salesforce",
        "Negotiation",
        "Accounting",
        "GDPR",
        "Scrum",
        "Linux",
        "C",
        "C++",
        "C#",
        "Node.js",
    )
    for suffix in ("", " Advanced", " Basics", " Ops", " Testing", " Design")
]
WORDS = """we build reliable software for customers across Europe and care about clear
writing honest feedback sustainable pace and shipping work we are proud of while
learning from every release and measuring outcomes rather than output""".split()  # noqa: SIM905
EMPLOYMENT = ["full-time", "full-time", "full-time", "part-time", "contract", "internship"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def make_role(i: int, rng: random.Random) -> dict:
    dept = DEPARTMENTS[i % len(DEPARTMENTS)]
    title = f"{rng.choice(LEVELS)} {dept} {rng.choice(NOUNS)}".strip()
    posted = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
    body = [
        paragraph(rng, 5),
        "",
        paragraph(rng, 4) + " Read [how we hire](/hiring/).",
        "",
        "## Responsibilities",
        "",
    ]
    body += [f"- {sentence(rng, 12)}" for _ in range(rng.randint(6, 10))]
    body += ["", "## Qualifications", ""]
    body += [f"- **{sentence(rng, 3)[:-1]}**: {sentence(rng, 10)}" for _ in range(6)]
    body += ["", "## Benefits", ""] + [f"- {sentence(rng, 8)}" for _ in range(6)]
    if rng.random() < 0.6:
        body += ["", "## Interview process", "", "| Stage | Duration |", "| --- | --- |"]
        body += [f"| {sentence(rng, 2)[:-1]} | {rng.randint(30, 90)} min |" for _ in range(4)]
    body += ["", "## About us", "", paragraph(rng, 6), ""]
    return {
        "slug": f"{re.sub(r'[^a-z0-9]+', '-', title.lower())}-{i:05d}",
        "title": title,
        "department": dept,
        "location": rng.choice(CITIES),
        "remote": rng.choice(["onsite", "hybrid", "remote"]),
        "employment_type": rng.choice(EMPLOYMENT),
        "salary": (rng.randrange(40, 150) * 1000, rng.randrange(150, 200) * 1000),
        "skills": rng.sample(SKILLS, rng.randint(3, 8)),
        "date_posted": posted,
        "valid_through": posted + dt.timedelta(days=4 * 365),
        "faq": [(sentence(rng, 6)[:-1] + "?", paragraph(rng, 3)) for _ in range(rng.randint(3, 5))],
        "body": "\n".join(body),
    }


def front_matter(role: dict) -> str:
    lines = [
        f'title: "{role["title"]}"',
        f'department: "{role["department"]}"',
        f'location: "{role["location"]}"',
        f"remote: {role['remote']}",
        f"employment_type: {role['employment_type']}",
        f"salary:\n  min: {role['salary'][0]}\n  max: {role['salary'][1]}\n"
        "  currency: EUR\n  period: year",
        "skills:",
    ]
    lines += [f'  - "{s}"' for s in role["skills"]]
    lines += [
        f"date_posted: {role['date_posted']}",
        f"valid_through: {role['valid_through']}",
        f"apply_url: https://jobs.example.com/apply/{role['slug']}",
        "faq:",
    ]
    for q, a in role["faq"]:
        lines += [f'  - question: "{q}"', f'    answer: "{a}"']
    return "\n".join(lines)


HUGO_CONFIG = """baseURL = "https://careers.example.com/"
title = "Careers"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404", "section", "taxonomy"]
ignoreErrors = ["error-disable-taxonomy"]
[taxonomies]
skill = "skills"
"""
HUGO_LAYOUTS = {
    "_default/single.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>
<p>{{ .Params.department }} · {{ .Params.location }} · {{ .Params.remote }}</p>
<ul>{{ range .Params.skills }}<li><a href="{{ "skills/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
{{ .Content }}
<dl>{{ range .Params.faq }}<dt>{{ .question }}</dt><dd>{{ .answer | markdownify }}</dd>{{ end }}</dl>
<a href="{{ .Params.apply_url }}">Apply</a></main></body></html>
""",
    "_default/term.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.department }}</li>{{ end }}</ul></body></html>
""",
    "index.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roles</title>
</head><body><h1>Open roles</h1><ul>{{ range where .Site.RegularPages "Section" "roles" }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.department }}</li>{{ end }}</ul></body></html>
""",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ours, hugo = args.dir / "openings", args.dir / "hugo"
    write(
        ours / "site.yaml",
        "title: Example Careers\ncompany: Example\n"
        "base_url: https://careers.example.com/\nlocation: Berlin, Germany\n",
    )
    write(hugo / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(hugo / "layouts" / name, text)
    for i in range(args.n):
        role = make_role(i, rng)
        fm = front_matter(role)
        write(ours / "roles" / f"{role['slug']}.md", f"---\n{fm}\n---\n\n{role['body']}")
        write(
            hugo / "content/roles" / f"{role['slug']}.md",
            f"---\n{fm}\nslug: {role['slug']}\n---\n\n{role['body']}",
        )
    print(f"wrote {args.n} roles to {ours} and {hugo}")


if __name__ == "__main__":
    main()
