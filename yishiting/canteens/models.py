"""幸福食堂: community canteens, their daily menus, the discount rules ("企业让一点、个人付一点"), eligibility
registrations community staff verify, and meal orders with the prices frozen on them (the subsidy ledger)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person

from .choices import DiscountMode, Eligibility, Fulfilment, Meal, OrderStatus, RegistrationStatus

MONEY = {"max_digits": 8, "decimal_places": 2}


class Canteen(models.Model):
    """A 幸福食堂 serving a community (or a part of it). Its staff are the people holding 食堂工作人员 at its
    area or above it within the community (rules.is_canteen_staff); no separate staff table to keep in step."""

    name = models.CharField(gettext_lazy("名称"), max_length=64)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("服务社区（区域）"), on_delete=models.PROTECT,
                             related_name="canteens")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    operator = models.ForeignKey(Organization, verbose_name=gettext_lazy("运营单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="canteens",
                                 help_text=gettext_lazy("让利的爱心商户或餐饮企业（选填）"))
    address = models.CharField(gettext_lazy("地址"), max_length=200)
    opening_hours = models.CharField(gettext_lazy("营业时间"), max_length=64, help_text=gettext_lazy("如：11:00–13:00，17:00–18:30"))
    lunch_cutoff = models.TimeField(gettext_lazy("午餐截止点单"), default=time(10, 30))
    dinner_cutoff = models.TimeField(gettext_lazy("晚餐截止点单"), default=time(16, 30))
    meal_capacity = models.PositiveIntegerField(gettext_lazy("每餐最多接单"), null=True, blank=True,
                                                help_text=gettext_lazy("每餐（午餐或晚餐）全部菜品合计的份数上限；空为不限"))
    delivers = models.BooleanField(gettext_lazy("提供送餐"), default=True)
    auto_confirm_hours = models.PositiveSmallIntegerField(
        gettext_lazy("送达后自动确认（小时）"), null=True, blank=True, default=24,
        help_text=gettext_lazy("送达后这么多小时内用餐人既未确认也未反映问题的，自动确认收餐（不计评分）；空为不自动确认"))
    is_active = models.BooleanField(gettext_lazy("营业中"), default=True)

    class Meta:
        verbose_name = gettext_lazy("幸福食堂")
        verbose_name_plural = gettext_lazy("幸福食堂")
        ordering = ["path", "pk"]
        indexes = [models.Index(fields=["path"], name="canteen_path_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = self.area.path  # the path follows the area (set here so the admin's form keeps it right)
        super().save(*args, **kwargs)

    @property
    def scope_path(self) -> str:
        return self.path

    def cutoff(self, meal: str) -> time:
        return self.lunch_cutoff if meal == Meal.LUNCH else self.dinner_cutoff


class MenuItem(models.Model):
    """One dish on one day's menu, with its listed price and the portions the kitchen makes. `ordered` counts the
    portions taken by orders not cancelled; it never passes `portions` (a conditional update in order_place)."""

    canteen = models.ForeignKey(Canteen, verbose_name=gettext_lazy("食堂"), on_delete=models.CASCADE, related_name="menu")
    day = models.DateField(gettext_lazy("日期"))
    meal = models.CharField(gettext_lazy("餐次"), max_length=8, choices=Meal.choices, default=Meal.LUNCH)
    name = models.CharField(gettext_lazy("菜品"), max_length=64)
    description = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)
    price = models.DecimalField(gettext_lazy("标价（元）"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    portions = models.PositiveIntegerField(gettext_lazy("份数"), default=50)
    ordered = models.PositiveIntegerField(gettext_lazy("已订份数"), default=0, editable=False)

    class Meta:
        verbose_name = gettext_lazy("菜单菜品")
        verbose_name_plural = gettext_lazy("每日菜单")
        ordering = ["day", "meal", "pk"]
        indexes = [models.Index(fields=["canteen", "day"], name="menu_canteen_day_idx")]
        constraints = [models.CheckConstraint(condition=Q(ordered__lte=F("portions")), name="menu_never_oversold"),
                       models.CheckConstraint(condition=Q(price__gt=0), name="menu_price_positive")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.name}"

    @property
    def left(self) -> int:
        return max(self.portions - self.ordered, 0)


class DiscountRule(models.Model):
    """An admin-editable rule: who (aged ≥ N by the ID number, or a verified status), how much (a percentage off
    the listed price, or a fixed price), where (canteens under an area; none: everywhere) and when (valid dates).
    Of several rules that apply, the diner pays the lowest price."""

    name = models.CharField(gettext_lazy("名称"), max_length=64)
    eligibility = models.CharField(gettext_lazy("适用对象"), max_length=24, choices=Eligibility.choices)
    min_age = models.PositiveSmallIntegerField(gettext_lazy("年龄不低于"), null=True, blank=True,
                                               validators=[MaxValueValidator(130)],
                                               help_text=gettext_lazy("按年龄的规则必填：按身份证号的出生日期计算，生日当天起算"))
    mode = models.CharField(gettext_lazy("优惠方式"), max_length=8, choices=DiscountMode.choices, default=DiscountMode.PERCENT)
    percent_off = models.DecimalField(gettext_lazy("优惠比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
                                      help_text=gettext_lazy("如 30 表示比标价低 30%"))
    fixed_price = models.DecimalField(gettext_lazy("固定价格（元）"), **MONEY, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("适用区域"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=gettext_lazy("空为全部食堂"))
    valid_from = models.DateField(gettext_lazy("生效日期"))
    valid_until = models.DateField(gettext_lazy("截止日期"), null=True, blank=True, help_text=gettext_lazy("空为长期有效"))
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("优惠规则")
        verbose_name_plural = gettext_lazy("优惠规则")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(eligibility="age") | Q(min_age__isnull=False), name="discount_age_needs_min"),
            models.CheckConstraint(condition=~Q(mode="percent") | Q(percent_off__isnull=False), name="discount_percent_set"),
            models.CheckConstraint(condition=~Q(mode="fixed") | Q(fixed_price__isnull=False), name="discount_fixed_set"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                                   name="discount_dates_order"),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityRegistration(models.Model):
    """A status the person record cannot show (留守儿童, 低保, 残疾), registered and verified by community staff:
    who verified it and when stay on the record; a discount needs it verified and in force on the meal's day."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.PROTECT,
                               related_name="canteen_eligibilities")
    eligibility = models.CharField(gettext_lazy("身份类别"), max_length=24, choices=Eligibility.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING)
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    note = models.CharField(gettext_lazy("依据"), max_length=200, blank=True, help_text=gettext_lazy("如：低保证号、残疾证号、走访记录"))
    valid_until = models.DateField(gettext_lazy("有效期至"), null=True, blank=True)
    registered_by = models.ForeignKey(Person, verbose_name=gettext_lazy("登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)
    verified_by = models.ForeignKey(Person, verbose_name=gettext_lazy("核实人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(gettext_lazy("核实时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("助餐优惠身份登记")
        verbose_name_plural = gettext_lazy("助餐优惠身份登记")
        ordering = ["-registered_at", "-pk"]
        indexes = [models.Index(fields=["person", "eligibility", "status"], name="eligibility_person_idx"),
                   models.Index(fields=["path", "status"], name="eligibility_path_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_eligibility_display()}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]


class MealOrder(models.Model):
    """One meal for one diner. The listed and paid prices (and the rule that made the difference) are frozen when
    it is placed: changing a rule or a price later never changes what the ledger says this order cost."""

    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True, editable=False)
    canteen = models.ForeignKey(Canteen, verbose_name=gettext_lazy("食堂"), on_delete=models.PROTECT, related_name="orders")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False, help_text=gettext_lazy("食堂所在区域的路径"))
    item = models.ForeignKey(MenuItem, verbose_name=gettext_lazy("菜品"), on_delete=models.PROTECT, related_name="orders")
    day = models.DateField(gettext_lazy("用餐日期"))
    meal = models.CharField(gettext_lazy("餐次"), max_length=8, choices=Meal.choices)
    diner = models.ForeignKey(Person, verbose_name=gettext_lazy("用餐人"), on_delete=models.PROTECT, related_name="meal_orders")
    placed_by = models.ForeignKey(Person, verbose_name=gettext_lazy("下单人"), on_delete=models.PROTECT, related_name="+",
                                  help_text=gettext_lazy("用餐人本人，或代老人下单的工作人员"))
    fulfilment = models.CharField(gettext_lazy("用餐方式"), max_length=12, choices=Fulfilment.choices)
    address = models.CharField(gettext_lazy("送餐地址"), max_length=200, blank=True)
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    listed_price = models.DecimalField(gettext_lazy("标价（元）"), **MONEY)
    paid_price = models.DecimalField(gettext_lazy("个人支付（元）"), **MONEY)
    rule = models.ForeignKey(DiscountRule, verbose_name=gettext_lazy("优惠规则"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="orders")
    rule_name = models.CharField(gettext_lazy("优惠"), max_length=64, blank=True)
    courier = models.ForeignKey(Person, verbose_name=gettext_lazy("送餐志愿者"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="meal_deliveries")
    # The seam for the volunteers app's teams (雪都送餐队): the team a courier delivered for, by id, so that this
    # app's tables stay independent of volunteers' migrations until it is merged (docs/canteens.md).
    courier_team_id = models.PositiveBigIntegerField(gettext_lazy("送餐队"), null=True, blank=True)
    placed_at = models.DateTimeField(gettext_lazy("下单时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(gettext_lazy("接单时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(gettext_lazy("送达时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(gettext_lazy("确认时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("评分"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.CharField(gettext_lazy("评价"), max_length=200, blank=True)
    complaint = models.CharField(gettext_lazy("用餐人反映的问题"), max_length=200, blank=True,
                                 help_text=gettext_lazy("有问题的送餐不会自动确认，由食堂处理后再确认"))

    class Meta:
        verbose_name = gettext_lazy("助餐订单")
        verbose_name_plural = gettext_lazy("助餐订单")
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["canteen", "day", "status"], name="mealorder_board_idx"),
                   models.Index(fields=["path", "day"], name="mealorder_path_idx"),
                   models.Index(fields=["courier", "status"], name="mealorder_courier_idx")]
        constraints = [models.CheckConstraint(condition=Q(paid_price__lte=F("listed_price")), name="mealorder_paid_le_listed")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.diner_id, self.placed_by_id]

    @property
    def given_up(self) -> Decimal:
        """What the canteen gave up on this order (标价 − 个人支付)."""
        return self.listed_price - self.paid_price
