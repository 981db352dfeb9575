"""Fetching URLs: one GET with a size cap, the raw bytes kept for hashing."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from rasid.errors import FetchError
from rasid.ingest.base import Source, input_error

USER_AGENT = "rasid/0.1"
TIMEOUT_S = 30.0
MAX_BYTES = 50 * 1024 * 1024


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    client: httpx.Client | None = None,
) -> Source:
    """GET ``url`` (redirects followed) as a :class:`Source`, or raise :class:`FetchError`."""
    own = client is None
    http = client or httpx.Client(
        follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}
    )
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} for {url}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                chunks.append(chunk)
            final_url = str(response.url)
            content_type = response.headers.get("content-type", "")
            charset = response.charset_encoding
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s fetching {url}; try again later") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects fetching {url}") from None
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        raise FetchError(f"could not fetch {url}: {err}") from None
    finally:
        if own:
            http.close()
    meta = {"fetched_from": url} if final_url != url else {}
    return Source(
        uri=final_url,
        name=urlsplit(final_url).path,
        data=b"".join(chunks),
        content_type=content_type.split(";")[0].strip().lower() or None,
        charset=charset,
        meta=meta,
    )


def _too_large(url: str, max_bytes: int) -> FetchError:
    return input_error(
        FetchError,
        f"response from {url} is larger than the {max_bytes // (1024 * 1024)} MB limit",
        "too-large",
    )
