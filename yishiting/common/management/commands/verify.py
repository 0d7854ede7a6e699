"""`yishiting verify`: the event log's hash chains, every registered table against its events, every chain
against its object, the dossiers' seals — and optionally anchors (common.anchors). Exit code non-zero on any
finding. docs/integrity.md."""

from django.core.management.base import BaseCommand, CommandError

from yishiting.common.anchors import anchor_read, anchor_write
from yishiting.common.errors import DomainError
from yishiting.common.events import ChainCheck, event_key, verify_chains
from yishiting.common.models import EventHead
from yishiting.common.reconcile import reconcile, registered, registered_checks

SHOW_UNKNOWN = 20


class Command(BaseCommand):
    help = ("重新计算事件日志的每条哈希链，核对各业务表与其事件记录是否一致、每个对象是否都有事件链，"
            "报告被修改、删除或重排的对象。")

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="append", default=[], metavar="FILE",
                            help="核对锚点文件：锚点记录的每条事件链都必须仍经过锚定的那条事件（可重复）")
        parser.add_argument("--anchor-out", metavar="FILE",
                            help="全部校验通过后，把所有事件链的链头写成（用 EVENT_HMAC_KEY 签名的）锚点文件")
        parser.add_argument("--anchor-month", default="", metavar="YYYY-MM",
                            help="写入锚点时记下它是哪个月的锚点（yishiting anchor 用）")
        parser.add_argument("--strict", action="store_true",
                            help="“无法核对”（旧版本事件未记录的字段）也算失败")

    def handle(self, *args, **options):
        key = event_key()
        if key is None:
            self.stdout.write(self.style.WARNING(
                "⚠ 未设置 EVENT_HMAC_KEY：哈希链只能发现误改；能写数据库的人可以改写事件并重算哈希，"
                "须设置密钥（或用 --anchor-out 定期留存锚点）才能发现。"))
        # Unkeyed events are adopted only by the first anchor after setting the key: once an earlier anchor is
        # given, an unkeyed event after it is a rewrite by someone without the key, not history to adopt.
        check = ChainCheck(key=key, adopt=bool(options["anchor_out"]) and not options["anchor"])
        for path in options["anchor"]:
            try:
                anchored, warnings = anchor_read(path, key)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            check.anchored.update(anchored)
            self.stdout.write(warnings[0])
            for warning in warnings[1:]:
                self.stdout.write(self.style.WARNING(f"⚠ {warning}"))
        broken = self._report(verify_chains(check=check))
        failed, unknown, by_check = 0, [], {}
        for finding in reconcile():
            if finding.unknown:
                unknown.append(finding)
            else:
                failed += 1
                by_check[finding.source] = by_check.get(finding.source, 0) + 1
                self.stdout.write(self.style.ERROR(f"✗ {finding}"))
        self._report_unknown(unknown)
        strict_fail = options["strict"] and unknown
        total = EventHead.objects.count()
        counted = [(name, check.count(), check.unit) for name, check in sorted(registered_checks().items())
                   if check.count is not None]
        if broken and key is None:
            self.stdout.write(self.style.WARNING("⚠ 如果这个库写入时设置过 EVENT_HMAC_KEY，请设置同一密钥再校验。"))
        if broken or failed or strict_fail:
            raise CommandError(f"共 {total} 个对象的事件链，{broken} 个校验失败；{failed} 个对象与事件记录不符"
                               + "".join(f"；共 {n} {unit}，{by_check.get(name, 0)} 份校验失败"
                                         for name, n, unit in counted)
                               + (f"；{len(unknown)} 个对象无法核对" if unknown else "") + "。")
        if options["anchor_out"]:
            count, printed = anchor_write(options["anchor_out"], key, options["anchor_month"])
            self.stdout.write(f"已写入锚点 {options['anchor_out']}：{count} 条事件链的链头"
                              + ("（已签名）" if key else "（未签名：未设置 EVENT_HMAC_KEY）")
                              + (f"；其中 {check.unkeyed} 条事件没有密钥签名，由本锚点担保" if check.unkeyed else "")
                              + f"。文件指纹 SHA-256 {printed}：请打印或记入台账，日后核对锚点文件未被替换。")
        self.stdout.write(self.style.SUCCESS(
            f"✓ 共 {total} 个对象的事件链"
            + "".join(f"、{n} {unit}" for _, n, unit in counted)
            + f"全部校验通过；{len(registered())} 类对象与事件记录一致"
            + (f"（{len(unknown)} 个对象无法核对）" if unknown else "") + "。"))

    def _report(self, problems) -> int:
        count = 0
        for problem in problems:
            count += 1
            self.stdout.write(self.style.ERROR(f"✗ {problem}"))
        return count

    def _report_unknown(self, unknown) -> None:
        for finding in unknown[:SHOW_UNKNOWN]:
            self.stdout.write(self.style.WARNING(f"? {finding}"))
        if len(unknown) > SHOW_UNKNOWN:
            self.stdout.write(self.style.WARNING(f"? ……另有 {len(unknown) - SHOW_UNKNOWN} 个对象无法核对"))
