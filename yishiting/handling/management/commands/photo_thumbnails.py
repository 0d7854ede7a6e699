"""Make the thumbnails of photos stored before thumbnails existed (pages also make one on first view).

    yishiting photo_thumbnails

Stored photos and their recorded SHA-256 (in events and dossiers) are left as they are.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yishiting.demands.models import DemandPhoto
from yishiting.demands.photos import thumbnail_ensure
from yishiting.handling.models import TaskFile


class Command(BaseCommand):
    help = "为缩略图出现之前上传的诉求照片和任务照片生成缩略图（已有的跳过；原图及其 SHA-256 不变）。"

    def handle(self, *args, **options) -> None:
        made = failed = 0
        rows = [(DemandPhoto.objects.filter(thumbnail=""), "image"),
                (TaskFile.objects.filter(thumbnail="", content_type__startswith="image/"), "file")]
        for queryset, source in rows:
            for row in queryset.iterator(chunk_size=200):
                if thumbnail_ensure(row, source):
                    made += 1
                else:
                    failed += 1
                    self.stderr.write(f"无法读取 {type(row).__name__} #{row.pk} 的图片（{getattr(row, source).name}）。")
        self.stdout.write(f"已生成 {made} 张缩略图" + (f"，{failed} 张无法读取。" if failed else "。"))
