from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy


class Side(models.TextChoices):
    """The two holders of the 双密码: each side's authorised persons approve an expense for their side."""

    COMMITTEE = "committee", gettext_lazy("业委会")
    COMPANY = "company", gettext_lazy("物业公司")


class EntryKind(models.TextChoices):
    INCOME = "income", gettext_lazy("收入")
    REMUNERATION = "remuneration", gettext_lazy("物业酬金")
    EXPENSE = "expense", gettext_lazy("支出")


class Category(models.TextChoices):
    # income: property fees and public income (seed 001: 物业费、公共收益)
    PROPERTY_FEE = "property_fee", gettext_lazy("物业费")
    PARKING = "parking", gettext_lazy("停车费")
    ADVERTISING = "advertising", gettext_lazy("广告收入")
    RENT = "rent", gettext_lazy("场地租金")
    OTHER_INCOME = "other_income", gettext_lazy("其他收入")
    # the property company's remuneration (computed)
    REMUNERATION = "remuneration", gettext_lazy("物业酬金")
    # expenses
    REPAIR = "repair", gettext_lazy("维修养护")
    CLEANING = "cleaning", gettext_lazy("保洁")
    GREENING = "greening", gettext_lazy("绿化")
    SECURITY = "security", gettext_lazy("秩序维护")
    UTILITIES = "utilities", gettext_lazy("公共水电")
    OTHER_EXPENSE = "other_expense", gettext_lazy("其他支出")


INCOME_CATEGORIES = [Category.PROPERTY_FEE, Category.PARKING, Category.ADVERTISING, Category.RENT,
                     Category.OTHER_INCOME]
PUBLIC_INCOME = [Category.PARKING, Category.ADVERTISING, Category.RENT, Category.OTHER_INCOME]
EXPENSE_CATEGORIES = [Category.REPAIR, Category.CLEANING, Category.GREENING, Category.SECURITY, Category.UTILITIES,
                      Category.OTHER_EXPENSE]


class ExpenseStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待双方审批")
    PAID = "paid", gettext_lazy("已支付")
    REFUSED = "refused", gettext_lazy("已拒绝")


class ReversalStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待双方审批")
    POSTED = "posted", gettext_lazy("已冲正")
    REFUSED = "refused", gettext_lazy("已拒绝")


class Decision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("trust decision", "同意")
    REFUSE = "refuse", pgettext_lazy("trust decision", "拒绝")


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    PUBLISHED = "published", gettext_lazy("已公开")


class LineKind(models.TextChoices):
    INCOME = "income", gettext_lazy("公共收益")
    USE = "use", gettext_lazy("收益使用")
