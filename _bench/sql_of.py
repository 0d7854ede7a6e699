"""Print each SQL of one fetch with its time (bench DB), then optionally profile."""
import sys, time, cProfile, pstats
sys.path.insert(0, "/work/wt/lists/bench")
import _setup
from _setup import setup, demo_root
setup("postgresql://postgres@127.0.0.1:5432/h_lists_bench", migrate="--migrate" in sys.argv)
from django.db import connection
from django.test import Client
from yishiting.areas.models import Area
from yishiting.accounts.models import User
root = demo_root()
street = Area.objects.filter(parent=root).order_by("path").first()
who = "community" if "--community" in sys.argv else "street"
user = User.objects.get(username=f"bench_lists_{'street_official' if who=='street' else 'community_staff'}_{street.pk if who=='street' else Area.objects.filter(parent=street).order_by('path').first().pk}")
c = Client(HTTP_HOST="localhost"); c.force_login(user)
path = sys.argv[1]
for _ in range(3): c.get(path)
log = []
def timed(execute, sql, params, many, context):
    t = time.perf_counter()
    try: return execute(sql, params, many, context)
    finally: log.append(((time.perf_counter()-t)*1000, sql, params))
with connection.execute_wrapper(timed):
    r = c.get(path)
print(r.status_code)
for ms, sql, params in log:
    print(f"{ms:7.1f} ms  {sql[:3000]}  {params}")
if "--explain" in sys.argv:
    with connection.cursor() as cur:
        for ms, sql, params in log:
            if ms > 3:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join(r[0] for r in cur.fetchall())); print("-----")
if "--profile" in sys.argv:
    pr = cProfile.Profile(time.process_time); pr.enable()
    for _ in range(10): c.get(path)
    pr.disable(); st = pstats.Stats(pr); st.sort_stats("tottime").print_callers("builtins.getattr") if "--callers" in sys.argv else None; st.sort_stats(sys.argv[-1] if sys.argv[-1] in ("tottime","cumulative") else "cumulative").print_stats(60)
if "--cpu" in sys.argv:
    import statistics
    xs = []
    for _ in range(20):
        t = time.process_time(); c.get(path); xs.append((time.process_time()-t)*1000)
    print("cpu median ms", round(statistics.median(xs), 2), "min", round(min(xs), 2))
if "--split" in sys.argv:
    import statistics, importlib
    from django.template import loader
    spent = []
    orig = loader.render_to_string
    def timed_render(*a, **k):
        t = time.process_time()
        try: return orig(*a, **k)
        finally: spent.append((time.process_time()-t)*1000)
    import django.shortcuts
    django.shortcuts.loader.render_to_string = timed_render
    xs = []
    for _ in range(20):
        t = time.process_time(); c.get(path); xs.append((time.process_time()-t)*1000)
    print("cpu total median", round(statistics.median(xs),2), "render median", round(statistics.median(spent),2))
    # form part
    from django.template import Template, Context
if "--pieces" in sys.argv:
    from yishiting.common.masking import free_text_for
    from yishiting.demands.selectors import three_list
    from yishiting.common.rules import has_perm
    from yishiting.common.dates import page_day
    from django.utils import translation
    translation.activate("zh-hans")
    rows = list(three_list(user, "problem")[:30])
    def t(label, fn, n=20):
        s = time.process_time()
        for _ in range(n): fn()
        print(label, round((time.process_time()-s)*1000/n, 3), "ms")
    t("free_text x30", lambda: [free_text_for(user, d.text, author_user_id=d.reporter.user_id if d.reporter else None, obj=d) for d in rows])
    t("has_perm unmask x30", lambda: [has_perm(user, "people.unmask", d) for d in rows])
    t("page_day x30", lambda: [page_day(d.created_at) for d in rows])
    t("status display x30", lambda: [d.get_status_display() for d in rows])
    t("channel display x30", lambda: [d.get_channel_display() for d in rows])
    t("query rows", lambda: list(three_list(user, "problem")[:31]))
    from django.urls import reverse
    t("reverse x30", lambda: [reverse("web:demand_detail", args=[d.pk]) for d in rows])
    from yishiting.demands.models import Demand
    ids = [d.pk for d in rows]
    t("ids query", lambda: list(three_list(user, "problem").values_list("pk", flat=True)[:31]))
    t("rows by pk full", lambda: list(three_list(user, "problem").filter(pk__in=ids).order_by()))
    t("rows by pk no screening_area", lambda: list(three_list(user, "problem").select_related(None).select_related("category", "area", "level_area", "reporter").filter(pk__in=ids).order_by()))
    t("rows by pk only", lambda: list(three_list(user, "problem").select_related(None).select_related("category", "area", "level_area", "reporter").only("number", "created_at", "text", "channel", "status", "screening_deadline", "outcome", "category__name", "area__name", "level_area__name", "reporter__user_id", "topic_id", "task_id", "mediation_id", "merged_into_id", "rejection_rule_id").filter(pk__in=ids).order_by()))
    t("bare Demand rows", lambda: list(Demand.objects.filter(pk__in=ids)))
    t("values rows", lambda: list(Demand.objects.filter(pk__in=ids).values()))
    t("raw cursor", lambda: connection.cursor().execute("select * from demands_demand where id = any(%s)", [ids]).fetchall())
if "--body" in sys.argv:
    body = c.get(path).content.decode()
    print("bytes", len(body), "options", body.count("<option"), "rows", body.count("<tr"))
    open("/tmp/lists_body.html", "w").write(body)
if "--form" in sys.argv:
    from django.utils import translation
    translation.activate("zh-hans")
    from yishiting.web.forms.demands import ListFilterForm
    from yishiting.areas.selectors import areas_visible_to, community_depth
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    areas = list(areas_visible_to(user, "demands.view").filter(level__depth__lte=community_depth()))
    def t(label, fn, n=20):
        s = time.process_time()
        for _ in range(n): fn()
        print(label, round((time.process_time()-s)*1000/n, 3), "ms")
    from yishiting.areas.models import Area as A
    qs = A.objects.filter(pk__in=[a.pk for a in areas])
    form = ListFilterForm({}, areas=qs); form.is_valid()
    list(form.fields["category"].queryset); 
    t("form build+valid", lambda: ListFilterForm({}, areas=qs).is_valid())
    t("render fields", lambda: [str(f) for f in form])
    for f in form: t("  field " + f.name, lambda f=f: str(f))
    t("render field.html x7", lambda: [render_to_string("web/partials/demands/field.html", {"field": f}) for f in form])
