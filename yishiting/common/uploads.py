"""Upload limits applied while a multipart body is read, before any of it reaches the disk.

- The whole request: `settings.MAX_UPLOAD_BYTES` (60 MB unless set): a larger Content-Length is refused before a
  byte of the body is read (UploadLimitMiddleware), and a body that goes on past it is cut off where it crosses.
- Each file: `PHOTO_MAX_BYTES` (10 MB) for a field named "photos", `FILE_MAX_BYTES` (20 MB, or IMPORT_MAX_BYTES if
  larger) for any other file field. A file that passes its limit is not written further: what was written is
  deleted, the rest of it is read and dropped, and the form gets an `OversizeUpload` in its place whose `size` is
  what was sent — so its own check ("第 2 张照片超过 10 MB") answers, and what the person typed is kept.
- Form fields other than files: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (`MAX_REQUEST_BYTES`, 2 MB).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext

PHOTO_MAX_BYTES = 10 * 1024 * 1024
FILE_MAX_BYTES = 20 * 1024 * 1024
PHOTO_FIELDS = {"photos"}


class UploadTooLarge(RequestDataTooBig):
    """The multipart body is larger than MAX_UPLOAD_BYTES; nothing of it is kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upload larger than {limit} bytes")
        self.limit = limit


class OversizeUpload(UploadedFile):
    """Stands for a file that passed its limit: its name and the bytes sent, none of its content."""

    def __init__(self, name: str, field_name: str, size: int, limit: int, index: int) -> None:
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=size)
        self.field_name, self.limit, self.index = field_name, limit, index

    def open(self, mode=None):
        return self

    def chunks(self, chunk_size=None):
        return iter(())

    def read(self, *args) -> bytes:
        return b""

    def close(self) -> None:
        pass


def file_limit(field_name: str) -> int:
    if field_name in PHOTO_FIELDS:
        return PHOTO_MAX_BYTES
    return max(FILE_MAX_BYTES, settings.IMPORT_MAX_BYTES)


def human_size(size: int) -> str:
    """2097152 → "2 MB", 10000 → "9.8 KB"."""
    value, unit = (size / (1024 * 1024), "MB") if size >= 1024 * 1024 else (size / 1024, "KB")
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"


def oversize_message(upload: OversizeUpload) -> str:
    values = {"index": upload.index, "size": human_size(upload.limit)}
    if upload.field_name in PHOTO_FIELDS:
        return gettext("第 %(index)s 张照片超过 %(size)s，请换一个或压缩后再传。") % values
    return gettext("第 %(index)s 个文件超过 %(size)s，请换一个或压缩后再传。") % values


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, counting as it writes (see the module docstring)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.total, self.counts = 0, {}
        if content_length > settings.MAX_UPLOAD_BYTES:
            raise UploadTooLarge(settings.MAX_UPLOAD_BYTES)

    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.counts[field_name] = self.counts.get(field_name, 0) + 1
        self.limit, self.received = file_limit(field_name), 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        self.received += len(raw_data)
        if self.total > settings.MAX_UPLOAD_BYTES:
            self.file.close()  # a temporary file is deleted when closed
            raise UploadTooLarge(settings.MAX_UPLOAD_BYTES)
        if self.received > self.limit:
            if not self.file.closed:
                self.file.close()
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.field_name, self.received, self.limit,
                                  self.counts[self.field_name])
        return super().file_complete(file_size)


def oversize_uploads(files) -> list[OversizeUpload]:
    return [f for _, uploads in files.lists() for f in uploads if isinstance(f, OversizeUpload)]
