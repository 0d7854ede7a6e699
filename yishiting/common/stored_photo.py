"""What every stored photo of a record has beside its image: the content type and the SHA-256 of the stored bytes
(demands.photos strips EXIF and scales to ≤ 1600 px before storing), kept in upload order. Each app's photo model
adds its record's foreign key and its own image/thumbnail folders (`upload_to` stays per app: the files live
where they always did)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class StoredPhoto(models.Model):
    content_type = models.CharField(gettext_lazy("类型"), max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        abstract = True
        ordering = ["id"]
