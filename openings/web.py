"""HTTP for the commands that talk to other sites (`import`, `diff`, `announce`): one
place that sends a request and tells what went wrong, for each caller to word."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping


class WebError(Exception):
    """A request that got an error answer (`status`), or none (`status` 0: no answer in
    time when `timed_out`, else the site could not be reached)."""

    def __init__(self, reason: str, status: int = 0, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.timed_out = timed_out


def fetch(
    url: str,
    *,
    agent: str,
    timeout: float,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    """The status and body of the answer to a GET (or, with `data`, a POST) of `url`."""
    request = urllib.request.Request(
        url,
        data=data,
        headers={"User-Agent": agent, **(headers or {})},
        method="GET" if data is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return status, response.read()
    except urllib.error.HTTPError as exc:
        raise WebError(str(exc.reason), exc.code) from None
    except TimeoutError:
        raise WebError("timed out", timed_out=True) from None
    except urllib.error.URLError as exc:
        timed_out = isinstance(exc.reason, TimeoutError)
        raise WebError(str(exc.reason), timed_out=timed_out) from None
    except OSError as exc:
        raise WebError(str(exc)) from None
