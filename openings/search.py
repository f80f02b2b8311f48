"""The words a role is found by in the index's search (search.json, read by filters.js).

Words are folded the way the theme's script folds what a visitor types: lower case,
accents and other marks dropped, `ß` as `ss`, a typographic apostrophe as `'`. A word
is a run of letters and digits, joined through `-`, `.`, `,`, `'`, `/`, `&` (`full-time`,
`node.js`, `70,000`, `r&d`) and ending in any `+` or `#` (`c++`, `c#`); each joined word
is also found by its parts and by its letters run together (`full`, `time`, `fulltime`).
The script finds a role when every word typed begins one of the role's words, so a word
that begins another of them (`engineer` of `engineering`) need not be kept.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"[^\W_]+(?:[-.,'/&+#][^\W_]+)*[+#]*")
_JOINT = re.compile(r"[-.,'/&]")
_PUNCTUATION = ".,;:!?()[]{}\"'*…“”‘’«»"
TEXT_WORDS = 80  # distinct words of a role's text kept for search, beyond its card
SHORTEST = 3  # letters of the shortest word of a role's text that is kept
# Words of a text that nobody searches for (a role's card keeps all of its words).
_STOP = """about after all also and any are been before being both but can could did does
each for from had has have her here his how into its just may more most much must not off
once only other our ours out over own same she should some such than that the their them
then there these they this those through too under until very was were what when where
which while who whom why will with would you your yours"""
STOP_WORDS = frozenset(_STOP.split())


def fold(text: str) -> str:
    """Text as search compares it: `Zürich Straße` -> `zurich strasse`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    marks = {ord(c): None for c in set(decomposed) if unicodedata.category(c).startswith("M")}
    bare = decomposed.translate(marks) if marks else decomposed  # translate is slow
    return bare.replace("ß", "ss").replace("\u2019", "'")


def words_of(text: str) -> Iterator[str]:
    """The folded words of `text`, each joined word followed by its parts (but the digits
    of a number: `70,000` is not found by `000`) and its letters run together."""
    for word in _WORD.findall(fold(text)):
        yield from _forms(word)


def _forms(word: str) -> Iterator[str]:
    yield word
    if _JOINT.search(word):
        parts = [p for p in _JOINT.split(word) if p]
        yield from (p for p in parts if not p.isdigit())
        yield "".join(parts)


class Words(dict[str, tuple[str, ...]]):
    """The words search keeps of each chunk of text (a run without white space) and of
    each thing a card shows, worked out once for a build: texts share most of their
    chunks, and roles their teams, places and skills. One per build (a ContentLoader's,
    a search.json's), so that what a long `serve` sees does not pile up."""

    def __missing__(self, text: str) -> tuple[str, ...]:
        # A chunk has no white space; what a card shows may, and is kept under a space.
        words = self[text] = _shown(text[1:]) if text[:1] == " " else _chunk_words(text)
        return words

    def of_chunks(self, chunks: Iterable[str]) -> dict[str, None]:
        """The folded words of chunks of a text that search keeps, in order, each once."""
        return dict.fromkeys(itertools.chain.from_iterable(map(self.__getitem__, chunks)))

    def of_shown(self, shown: Iterable[str]) -> dict[str, None]:
        """The same for what a card shows, each part kept under a space."""
        return self.of_chunks(" " + part for part in shown)


def text_words(text: str, memo: Words | None = None, most: int = TEXT_WORDS) -> str:
    """Up to `most` distinct words of a text that people may search for, one space apart,
    in the order they come (made when a role's file is parsed, so that no build reads a
    role's text for search.json). Past `most`, words written with a capital letter or a
    digit come first: names (`Kubernetes`, `AWS`, `Hamburg`, `S3`), and the first words of
    sentences. `memo` remembers each chunk's words for the next texts."""
    words = Words() if memo is None else memo
    chunks = dict.fromkeys(text.split())  # a word never spans white space
    order = words.of_chunks(chunks)
    if len(order) <= most:
        return " ".join(order)
    capital = words.of_chunks(itertools.filterfalse(str.islower, chunks))
    kept = set(itertools.islice(capital, most))
    if len(kept) < most:
        kept.update(itertools.islice((w for w in order if w not in kept), most - len(kept)))
    return " ".join(w for w in order if w in kept)


def _chunk_words(chunk: str) -> tuple[str, ...]:
    """The words search keeps of one chunk of a text."""
    folded = chunk.lower() if chunk.isascii() else fold(chunk)
    bare = folded.strip(_PUNCTUATION)
    if bare.isalnum():
        return (bare,) if len(bare) >= SHORTEST and bare not in STOP_WORDS else ()
    kept = []
    for word in _WORD.findall(folded):
        for form in _forms(word) if _JOINT.search(word) else (word,):
            if len(form) >= SHORTEST and form not in STOP_WORDS:
                kept.append(form)
    return tuple(kept)


def _shown(part: str) -> tuple[str, ...]:
    return tuple(words_of(part))


def search_text(shown: Iterable[str], *texts: str, memo: Words | None = None) -> str:
    """Every word of what a role's card shows, then the words of its `texts` (text_words),
    each once, one space apart, leaving out each word that begins another (search finds
    a role by the beginnings of its words)."""
    kept = (Words() if memo is None else memo).of_shown(shown)
    for text in texts:
        kept.update(dict.fromkeys(text.split()))
    ordered = sorted(kept)
    begins = {a for a, b in itertools.pairwise(ordered) if b.startswith(a)}
    return " ".join(w for w in kept if w not in begins)
