"""`yishiting poster AREA_CODE --out poster.pdf --base-url https://…`: the printable QR poster of an area."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.demands.posters import poster_url, qr_posters_pdf


class Command(BaseCommand):
    help = "生成楼栋或小区的二维码海报（A4 PDF）：扫码打开提交诉求页面，地点已填好。"

    def add_arguments(self, parser):
        parser.add_argument("area_code", help="区域编码（楼栋或小区）")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件")
        parser.add_argument("--base-url", required=True, help="本站对居民开放的地址，如 https://yst.example.gov.cn")
        parser.add_argument("--children", action="store_true",
                            help="为该区域的每个下级区域（如小区的每栋楼）各生成一页，合成一个 PDF")

    def handle(self, *args, area_code: str, out: str, base_url: str, children: bool, **options):
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise CommandError(f"找不到编码为“{area_code}”的区域。")
        areas = list(area.children.filter(is_active=True).order_by("path")) if children else [area]
        if not areas:
            raise CommandError(f"“{area.name}”没有下级区域。")
        try:
            pdf = qr_posters_pdf(areas, base_url)
            first_url = poster_url(areas[0], base_url)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(out).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {out}：{len(areas)} 页，{len(pdf) / 1024:.0f} KB；二维码指向 {first_url}"
            + ("（其余各页为各自的区域）" if len(areas) > 1 else "")))
