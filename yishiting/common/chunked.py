"""Request bodies sent without a Content-Length (`Transfer-Encoding: chunked`), made readable for Django.

Django reads exactly CONTENT_LENGTH bytes of a request body, and none when the header is absent: a chunked
JSON body reached the API as empty ("请求体不能为空"). The WSGI server has already taken the chunks apart;
`SizedBodies` reads the body in front of the application — one byte past the largest body the site accepts
at most, into memory up to 1 MB and a temporary file beyond — and hands it on with its length. A body over
its limit keeps a length over the limit, so UploadLimitMiddleware refuses it with its 413, unread past that.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable

from django.conf import settings

READ_CHUNK = 64 * 1024
IN_MEMORY = 1024 * 1024


class SizedBodies:
    """WSGI middleware: `application = SizedBodies(app)`."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if _chunked(environ):
            _buffer(environ)
        return self.app(environ, start_response)


def _chunked(environ: dict) -> bool:
    """A body without a length, from a server that ends the input stream with the body (granian, gunicorn:
    `wsgi.input_terminated`); on any other server a read past the body could wait for the next request."""
    coding = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in coding and not environ.get("CONTENT_LENGTH") and bool(environ.get("wsgi.input_terminated"))


def _limit(environ: dict) -> int:
    multipart = environ.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")
    return settings.MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _buffer(environ: dict) -> None:
    stream, limit = environ["wsgi.input"], _limit(environ)
    body = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115  (the request's input from now on)
    size = 0
    while size <= limit:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        body.write(chunk)
        size += len(chunk)
    body.seek(0)
    environ["wsgi.input"] = body
    environ["CONTENT_LENGTH"] = str(size)
    environ.pop("HTTP_TRANSFER_ENCODING", None)  # the body now has its length; nobody reads it as chunks again
