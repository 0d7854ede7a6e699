"""Accessibility in a real browser at 360 px: axe-core (vendored, offline — tests/vendor/README.md) audits the
resident pages and the main staff pages and finds no serious or critical violation; the 大字 (large-text) switch
is remembered and keeps the pages usable at phone width; a resident reports a problem with the keyboard alone.
Screenshots: var/screenshots/a11y-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from yishiting.deliberation.services.topics import topic_propose
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.services import notices
from yishiting.handling.tests.tasks_world import assign, handling_topic, photo
from yishiting.handling.tests.test_evaluation import evaluating_topic
from yishiting.handling.tests.world import resolved_topic

from .test_browser import in_browser, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
NARROW = {"width": 360, "height": 780}
BLOCKING = ("serious", "critical")


def audit(page: Page, url: str, label: str) -> list[str]:
    """Open `url` (or stay on the page when `url` is empty), run axe-core on it (its default rules, plus WCAG 2.2's
    24 px touch targets) and return the serious/critical violations, one line each (rule, element, what to do).
    axe is evaluated through the DevTools protocol, so the site's Content-Security-Policy stays in force."""
    if url:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"],
                                               rules: {"target-size": {enabled: true}}});
        return {passed: result.passes.length, violations: result.violations.filter(
            v => v.impact === "serious" || v.impact === "critical").flatMap(v => v.nodes.map(
                n => ({id: v.id, impact: v.impact, help: v.help, target: n.target.join(" "), summary: n.failureSummary})))};
    }""")
    assert found["passed"] >= 10, f"axe did not run on {page.url}"
    return [f"{label} {page.url}: [{v['impact']}] {v['id']} at {v['target']} — {v['help']}\n    {v['summary']}"
            for v in found["violations"]]


CONTROLS = """() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
    const groups = new Set();
    return Array.from(document.querySelectorAll(selector)).filter(el => {
        const shown = el.matches(".photo-input") ? el.nextElementSibling : el;
        if (el.disabled || !shown.checkVisibility({visibilityProperty: true})) { return false; }
        if (el.type === "radio") {  // a radio group is one Tab stop; the arrows move inside it
            const key = el.form ? el.form.id + ":" + el.name : el.name;
            if (groups.has(key)) { return false; }
            groups.add(key);
        }
        return true;
    }).map((el, i) => {
        el.dataset.kbd = String(i);
        return (el.name || el.innerText || el.getAttribute("aria-label") || el.tagName).trim().slice(0, 24);
    });
}"""
FOCUS = """() => {
    const el = document.activeElement;
    if (!el || !el.dataset || el.dataset.kbd === undefined) { return null; }
    const shown = el.matches(".photo-input") ? el.nextElementSibling : el, style = getComputedStyle(shown);
    const ringed = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
    const radio = el.type === "radio" ? document.querySelector(`input[type=radio][name="${el.name}"][data-kbd]`) : null;
    return {kbd: radio ? radio.dataset.kbd : el.dataset.kbd, ringed};
}"""


def keyboard_sweep(page: Page, label: str) -> list[str]:
    """Tab through the whole page: every visible control must take the focus, in a ring one can see."""
    names = page.evaluate(CONTROLS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: dict[str, bool] = {}
    for _ in range(2 * len(names) + 10):  # scrollable boxes are Tab stops too
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused:
            reached.setdefault(focused["kbd"], focused["ringed"])
        if len(reached) == len(names):
            break
    missed = [names[i] for i in range(len(names)) if str(i) not in reached]
    unringed = [names[int(i)] for i, ringed in reached.items() if not ringed]
    return ([f"{label} {page.url}: not reachable by Tab: {missed}"] if missed else []) + (
        [f"{label} {page.url}: no visible focus ring: {unringed}"] if unringed else [])


def a11y_world(world) -> dict:
    """One of each thing the audited pages show: a resident's demand, a topic taking opinions, a published
    notice, an open evaluation round, a task being handled."""
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="幸福苑3栋楼道灯坏了一个星期，晚上上下楼很黑", area=world.areas["B1"]))
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])
    _, resolution = resolved_topic(world, title="幸福苑小区停车划线")
    notice = notices.notice_draft(actor=world.users["community_secretary"], resolution=resolution,
                                  plan=[{"when": "12月上旬", "what": "采购灯具", "who": "物业"}])
    notice = notices.notice_publish(actor=world.users["community_secretary"], notice=notice)
    _, round_ = evaluating_topic(world, title="幸福苑3栋楼道照明改造")
    handled, resolution = handling_topic(world, title="幸福苑3栋外墙修补")
    task = assign(world, handled, resolution)
    return {"demand": demand, "topic": topic, "notice": notice, "round": round_, "task": task}


def pages_of(things: dict) -> dict[str, list[str]]:
    d, t, n, r, k = (things[key].pk for key in ("demand", "topic", "notice", "round", "task"))
    return {
        "": ["/login/", "/login/sms/", "/register/", f"/notices/{n}/public/"],
        "resident": ["/", "/demands/new/", "/demands/mine/", f"/demands/{d}/", "/messages/", f"/topics/{t}/",
                     f"/notices/{n}/public/", f"/evaluations/{r}/rate/", "/claims/"],
        "community_staff": ["/", "/demands/inbox/", f"/demands/{d}/screen/", "/tasks/", f"/tasks/{k}/",
                            "/claims/inbox/", f"/evaluations/{r}/"],
        "community_secretary": ["/", "/topics/", f"/topics/{t}/", f"/meetings/new/?topic={t}", "/meetings/",
                                "/notices/", f"/notices/{n}/", "/archive/"],
        "street_official": ["/", "/kpis/", "/tasks/", "/evaluations/"],
        "grid_worker": ["/", "/demands/entry/", "/lists/problem/"],
        "handler": ["/", "/tasks/mine/", f"/tasks/{k}/"],
    }


def test_no_serious_or_critical_violations_and_every_control_reachable_by_keyboard(world, live_server, file_media):
    base = live_server.url
    things = a11y_world(world)
    assert Demand.objects.count() >= 1
    violations: list[str] = []

    for persona, urls in pages_of(things).items():
        def scenario(page: Page, persona=persona, urls=urls) -> None:
            if persona:
                sign_in(page, base, persona)
            for url in urls:
                violations.extend(audit(page, base + url, persona or "anonymous"))
                violations.extend(keyboard_sweep(page, persona or "anonymous"))

        assert in_browser(scenario, viewport=NARROW) == []

    def errors_and_large_text(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/")
        page.click("button >> text=提交诉求")
        page.wait_for_selector(".field-error")
        violations.extend(audit(page, "", "resident (form errors)"))
        with page.expect_navigation():
            page.click(".text-size-button")
        for url in ("/", f"/topics/{things['topic'].pk}/", f"/evaluations/{things['round'].pk}/rate/"):
            violations.extend(audit(page, base + url, "resident (large text)"))
            assert page.locator("html.text-large").count() == 1

    assert in_browser(errors_and_large_text, viewport=NARROW) == []
    assert not violations, "axe-core found serious/critical violations:\n" + "\n".join(violations)


def overflows(page: Page) -> bool:
    """The page is wider than the phone (the person would have to scroll sideways to read it)."""
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def body_font_px(page: Page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


def test_large_text_is_switched_on_remembered_and_fits_a_phone(world, live_server, file_media):
    base = live_server.url
    things = a11y_world(world)

    def scenario(page: Page) -> None:
        page.goto(f"{base}/login/")
        switch = page.locator(".text-size-button")
        assert switch.inner_text() == "大字" and switch.get_attribute("aria-pressed") == "false"
        assert body_font_px(page) == 16
        for _ in range(6):  # back from the focused account box to the switch: reachable and usable by keyboard
            page.keyboard.press("Shift+Tab")
            if page.evaluate("() => document.activeElement.className") == "text-size-button":
                break
        assert page.evaluate("() => document.activeElement.className") == "text-size-button"
        shot(page, "a11y-00-switch-focused", full_page=False)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"{base}/login/"  # back on the same page
        assert page.locator(".text-size-button").get_attribute("aria-pressed") == "true"
        assert body_font_px(page) >= 20 and not overflows(page)
        shot(page, "a11y-01-login-large")
        sign_in(page, base, "resident")
        assert body_font_px(page) >= 20  # remembered across signing in
        for name, url in [("02-home", "/"), ("03-demand-new", "/demands/new/"),
                          ("04-demand", f"/demands/{things['demand'].pk}/"),
                          ("05-topic", f"/topics/{things['topic'].pk}/"),
                          ("06-rate", f"/evaluations/{things['round'].pk}/rate/")]:
            page.goto(base + url)
            assert body_font_px(page) >= 20 and not overflows(page), url
            controls = page.locator("main :is(.button, button, select, textarea, input[type=text]):visible")
            heights = [box["height"] for box in controls.evaluate_all("els => els.map(e => e.getBoundingClientRect())")]
            assert all(height >= 36 for height in heights), url  # big enough to tap, however small the text was
            shot(page, f"a11y-{name}-large")
        with page.expect_navigation():
            page.locator(".text-size-button").click()
        assert page.url == f"{base}/evaluations/{things['round'].pk}/rate/"
        assert body_font_px(page) == 16 and page.locator(".text-size-button").get_attribute("aria-pressed") == "false"
        page.focus("#language-select")  # arrowing through the languages does not leave the page at once
        page.keyboard.press("ArrowDown")
        assert page.url.endswith("/rate/") and page.locator(".language-form button").is_visible()
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".text-size-button").inner_text() == "Large text"

    def staff(page: Page) -> None:
        page.context.add_cookies([{"name": "yst_text", "value": "large", "url": base}])
        sign_in(page, base, "community_secretary")
        for name, url in [("08-inbox", "/demands/inbox/"), ("09-screen", f"/demands/{things['demand'].pk}/screen/"),
                          ("10-tasks", "/tasks/"), ("11-meeting-plan", f"/meetings/new/?topic={things['topic'].pk}"),
                          ("12-kpis", "/kpis/")]:
            page.goto(base + url)
            assert body_font_px(page) >= 20 and not overflows(page), url
            shot(page, f"a11y-{name}-large")

    assert in_browser(scenario, viewport=NARROW) == []
    assert in_browser(staff, viewport=NARROW) == []


FOCUSED = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    const ring = el.matches(".photo-input") ? getComputedStyle(el.nextElementSibling) : style;
    return {name: el.name || "", tag: el.tagName, text: (el.innerText || "").trim().slice(0, 20),
            inMain: !!el.closest("main"), ringed: ring.outlineStyle !== "none" || ring.boxShadow !== "none"};
}"""


def test_a_resident_reports_a_problem_with_the_keyboard_only(world, live_server, file_media, tmp_path):
    base = live_server.url
    image = tmp_path / "楼道.jpg"
    image.write_bytes(photo())
    seen: list[dict] = []

    def scenario(page: Page) -> None:
        def tab() -> dict:
            page.keyboard.press("Tab")
            seen.append(page.evaluate(FOCUSED))
            return seen[-1]

        def tab_to(name: str, limit: int = 8) -> dict:
            for _ in range(limit):
                if tab()["name"] == name:
                    return seen[-1]
            raise AssertionError(f"Tab never reached {name}: {seen[-limit:]}")

        # Playwright turns file-chooser interception on without waiting for it: listen from the start, so the
        # chooser the Space key opens later is never missed on a busy machine.
        page.on("filechooser", lambda chooser: None)
        sign_in(page, base, "resident")
        page.goto(f"{base}/demands/new/")
        skip = tab()
        assert skip["text"] == "跳到主要内容" and skip["ringed"]
        assert page.locator(".skip-link").bounding_box()["x"] >= 0  # shown when focused
        page.keyboard.press("Enter")
        assert tab() == {"name": "text", "tag": "TEXTAREA", "text": "", "inMain": True, "ringed": True}
        page.keyboard.type("幸福苑3栋1单元门口的路灯坏了，晚上老人出门看不见路")
        tab_to("address")
        page.keyboard.type("3栋1单元门口")
        tab_to("photos")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")  # the big photo button opens the phone's camera or gallery
        chooser.value.set_files(str(image))
        assert "1" in page.locator("[data-photo-count]").inner_text()
        assert tab_to("urgency")["tag"] == "INPUT"
        page.keyboard.press("ArrowRight")  # arrows move within the radio group
        assert page.locator("input[name=urgency]:checked").get_attribute("value") != "normal"
        tab_to("anonymous")
        submit = tab()
        assert submit["tag"] == "BUTTON" and submit["text"] == "提交诉求"
        shot(page, "a11y-07-keyboard-submit")
        page.keyboard.press("Enter")
        page.wait_for_url("**/done/")

    assert in_browser(scenario, viewport=NARROW) == []
    assert all(f["ringed"] for f in seen), [f for f in seen if not f["ringed"]]  # focus always visible
    demand = Demand.objects.get(text__startswith="幸福苑3栋1单元门口的路灯坏了")
    assert demand.address == "3栋1单元门口" and demand.urgency != "normal" and demand.photos.count() == 1


def test_a_resident_gives_an_opinion_with_the_keyboard_only(world, live_server):
    base = live_server.url
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])

    def scenario(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/topics/{topic.pk}/")
        page.locator("input[name=stance]").first.focus()  # the radio group is one Tab stop
        page.keyboard.press("Space")  # 支持
        page.keyboard.press("ArrowDown")  # → 反对
        assert page.locator("input[name=stance]:checked").get_attribute("value") == "oppose"
        page.keyboard.press("Tab")
        page.keyboard.type("费用分摊要先讲清楚")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.innerText.trim()") == "提交意见"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "已保存" in page.locator(".messages").inner_text()

    assert in_browser(scenario, viewport=NARROW) == []
    opinion = topic.opinions.get()
    assert (opinion.stance, opinion.text) == ("oppose", "费用分摊要先讲清楚")
