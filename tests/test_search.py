"""The words a role is found by (openings/search.py), and search.json."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from conftest import build, role

from openings.search import (
    STOP_WORDS,
    TEXT_WORDS,
    Words,
    fold,
    search_text,
    text_words,
    words_of,
)

PREFIX = "/careers/"


def test_fold_drops_case_and_accents_as_the_script_does():
    assert fold("Zürich STRAẞE Straße İzmir Bachelor’s ﬁne") == (
        "zurich strasse strasse izmir bachelor's fine"
    )


def test_a_joined_word_is_found_whole_by_its_parts_and_run_together():
    assert list(words_of("Full-time, C++ and C#; Node.js €70,000.")) == [
        "full-time",
        "full",
        "time",
        "fulltime",
        "c++",
        "and",
        "c#",
        "node.js",
        "node",
        "js",
        "nodejs",
        "70,000",
        "70000",  # not by `000`
    ]


def test_text_words_are_distinct_long_enough_not_stop_words_and_capped():
    words = text_words("The team builds a CI/CD pipeline; the team ships. " * 3).split()
    assert words == ["team", "builds", "ci/cd", "cicd", "pipeline", "ships"]
    assert not STOP_WORDS & set(words)
    many = " ".join(f"word{i}" for i in range(500))
    assert len(text_words(many).split()) == TEXT_WORDS


def test_past_the_cap_names_win_and_the_order_stays():
    text = "plain words come first here. Then we run Kubernetes on AWS in Hamburg."
    assert text_words(text, most=4) == "plain kubernetes aws hamburg"  # `then` is a stop word
    assert text_words(text) == "plain words come first run kubernetes aws hamburg"


def test_search_text_keeps_what_the_card_shows_and_drops_words_that_begin_others():
    text = search_text(["Data Engineer", "Engineering", "On-site", "C"], "engineers kubernetes")
    # `engineer` begins `engineering`; `on` begins `on-site`: a prefix search finds both.
    assert text == "data engineering on-site site onsite c engineers kubernetes"


def test_search_json_has_what_every_card_prints_and_the_words_of_the_text(example_output):
    entries = {e["url"]: e for e in json.loads((example_output / "search.json").read_text())}
    words = {url: set(e["text"].split()) for url, e in entries.items()}
    data = words[PREFIX + "roles/data-engineer/"]
    # Team, places, arrangement, type, skills, pay as printed; the text's words.
    assert {"data", "germany", "spain", "remote", "full-time", "dbt", "postgresql"} <= data
    assert {"70,000", "70000", "88,000"} <= data
    assert any(w.startswith("year") for w in data)  # `a year`, kept as `years`
    assert {"kubernetes", "pipelines", "invoices"} <= data
    assert not data & STOP_WORDS
    assert {"berlin", "hybrid"} <= words[PREFIX + "roles/frontend-engineer/"]
    assert "on-site" in words[PREFIX + "roles/firmware-engineer/"]
    assert "part-time" in words[PREFIX + "roles/working-student-marketing/"]
    assert all(e["pay"] == 1 for e in entries.values())  # every open role states pay
    # Small: each word once, and no word that begins another.
    for url, text in ((u, e["text"].split()) for u, e in entries.items()):
        assert len(text) == len(set(text)), url
        ordered = sorted(text)
        assert not any(b.startswith(a) for a, b in itertools.pairwise(ordered)), url


def test_search_json_prints_pay_in_the_sites_language_and_says_which_roles_state_it(
    write_site, tmp_path: Path
):
    root = write_site(
        {
            "content/site.yaml": "title: Karriere\nlanguage: de\nlocation: Köln, Deutschland\n",
            "content/roles/a.md": role(
                "Entwicklerin",
                body="Wir bauen Brücken.",
                salary="{min: 70000, max: 80000, currency: EUR}",
            ),
            "content/roles/b.md": role("Ohne Gehalt", body="Straßenbahn."),
        }
    )
    build(root, output=tmp_path / "out")
    entries = {e["url"]: e for e in json.loads((tmp_path / "out/search.json").read_text())}
    paid, unpaid = entries["/roles/a/"], entries["/roles/b/"]
    assert {"70.000", "70000", "80.000", "koln", "brucken"} <= set(paid["text"].split())
    assert paid["pay"] == 1 and "pay" not in unpaid
    assert "strassenbahn" in unpaid["text"].split()


def test_words_remembered_for_a_build_give_the_same_words():
    memo = Words()
    texts = ["Build the CI/CD pipeline in Zürich.", "The pipeline ships C++ and Node.js."]
    assert [text_words(t, memo) for t in texts] == [text_words(t) for t in texts]
    assert memo["pipeline"] == ("pipeline",) and memo["C++"] == ("c++",)
    shown = ["Data Engineer", "Zürich", "On-site"]
    assert search_text(shown, "kubernetes", memo=memo) == search_text(shown, "kubernetes")
    assert memo[" Zürich"] == ("zurich",)  # what a card shows is kept under a space
