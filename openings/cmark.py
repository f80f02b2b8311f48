"""GitHub's cmark-gfm, the C library behind GitHub's Markdown, through ctypes.

The library comes compiled inside the `cmarkgfm` package (the binding PyPI's own
README renderer uses). Its Python functions leak the syntax tree and the HTML of
every call (about 47 KB a role, 235 MB over 5,000 roles), so this module calls the
same library's C functions directly and frees both.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from functools import cache

from cmarkgfm import _cmark

# GitHub Flavored Markdown: CommonMark plus these (https://github.github.com/gfm/).
GFM_EXTENSIONS = ("table", "strikethrough", "autolink", "tagfilter", "tasklist")

# Options of the parser and the HTML renderer, as cmark.h defines them.
OPT_UNSAFE: int = _cmark.lib.CMARK_OPT_UNSAFE  # keep raw HTML and every URL
OPT_FOOTNOTES: int = _cmark.lib.CMARK_OPT_FOOTNOTES

_P = ctypes.c_void_p
_SIGNATURES: dict[str, tuple[type | None, list[type]]] = {
    "cmark_version_string": (ctypes.c_char_p, []),
    "cmark_gfm_core_extensions_ensure_registered": (None, []),
    "cmark_find_syntax_extension": (_P, [ctypes.c_char_p]),
    "cmark_parser_new": (_P, [ctypes.c_int]),
    "cmark_parser_attach_syntax_extension": (ctypes.c_int, [_P, _P]),
    "cmark_parser_feed": (None, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    "cmark_parser_finish": (_P, [_P]),
    "cmark_parser_get_syntax_extensions": (_P, [_P]),
    "cmark_parser_free": (None, [_P]),
    "cmark_render_html": (_P, [_P, ctypes.c_int, _P]),
    "cmark_node_free": (None, [_P]),
    "cmark_get_default_mem_allocator": (_P, []),
}


class _Allocator(ctypes.Structure):
    """cmark_mem: the allocator whose `free` releases what the renderer returns."""

    _fields_ = [
        ("calloc", _P),
        ("realloc", _P),
        ("free", ctypes.CFUNCTYPE(None, _P)),
    ]


@cache
def _library() -> ctypes.CDLL:
    lib = ctypes.CDLL(_cmark.__file__)
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    lib.cmark_gfm_core_extensions_ensure_registered()
    return lib


def version() -> str:
    """The version of cmark-gfm itself, e.g. 0.29.0.gfm.13."""
    return str(_library().cmark_version_string().decode())


@dataclass
class Cmark:
    """Markdown -> HTML with cmark-gfm and the GFM extensions. One per process is enough."""

    options: int = 0
    extensions: tuple[str, ...] = GFM_EXTENSIONS
    _lib: ctypes.CDLL = field(init=False, repr=False)
    _syntax: list[int] = field(init=False, repr=False)
    _free: ctypes._CFuncPtr = field(init=False, repr=False)  # type: ignore[name-defined]

    def __post_init__(self) -> None:
        self._lib = _library()
        self._syntax = []
        for name in self.extensions:
            extension = self._lib.cmark_find_syntax_extension(name.encode())
            if not extension:
                raise ValueError(f"cmark-gfm has no extension {name!r}")
            self._syntax.append(extension)
        allocator = _Allocator.from_address(self._lib.cmark_get_default_mem_allocator())
        self._free = allocator.free

    def to_html(self, text: str, options: int | None = None) -> str:
        """Render `text`; `options` replaces this renderer's for one call."""
        lib, opts = self._lib, self.options if options is None else options
        data = text.encode()
        parser = lib.cmark_parser_new(opts)
        try:
            for extension in self._syntax:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            try:
                result = lib.cmark_render_html(
                    root, opts, lib.cmark_parser_get_syntax_extensions(parser)
                )
            finally:
                lib.cmark_node_free(root)
        finally:
            lib.cmark_parser_free(parser)
        try:
            return ctypes.string_at(result).decode()
        finally:
            self._free(result)
