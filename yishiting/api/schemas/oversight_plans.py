"""Plans and hot spots: an area's plan (image, size, reference points) and the demands drawn on it as points and
as a density grid — positions on the plan only, never a name or a text."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from .common import CheckedSchema


class ReferencePointOut(Schema):
    x: float = Field(..., description="平面图上的像素横坐标（从左）")
    y: float = Field(..., description="像素纵坐标（从上）")
    lat: float = Field(..., description="该点的纬度")
    lng: float = Field(..., description="该点的经度")


class PlanOut(Schema):
    """一张平面图（小区平面图、网格图）：图片地址、像素尺寸和参照点（像素与经纬度的对应）"""

    id: int
    area_id: int
    area: str = Field(..., description="平面图所属区域的全称")
    title: str
    width: int = Field(..., description="像素宽")
    height: int = Field(..., description="像素高")
    image_url: str = Field(..., description="图片地址（同样需要登录）")
    content_type: str
    reference_points: list[ReferencePointOut] = Field(..., description="两个或三个参照点")
    updated_at: datetime


class HotspotQuery(CheckedSchema):
    category: int | None = Field(None, description="诉求类别 id")
    start: date | None = Field(None, description="提交日期不早于（含）")
    end: date | None = Field(None, description="提交日期不晚于（含）")


class HotspotPointOut(Schema):
    demand_id: int = Field(..., description="诉求 id（GET /demands/{id}，按您的权限查看）")
    number: str = Field(..., description="诉求编号")
    category: str
    x: float = Field(..., description="平面图上的像素横坐标")
    y: float = Field(..., description="像素纵坐标")


class HotspotCellOut(Schema):
    column: int = Field(..., description="格子的列（从 0 起，自左）")
    row: int = Field(..., description="格子的行（从 0 起，自上）")
    count: int


class CategoryCountOut(Schema):
    category: str
    count: int


class HotspotsOut(Schema):
    """平面图上的诉求：点位和密度格（只含位置和类别，不含内容和任何人的信息）"""

    plan: PlanOut
    points: list[HotspotPointOut] = Field(..., description="最近的诉求在前，最多 max_points 个")
    cells: list[HotspotCellOut] = Field(..., description="密度格（只列有诉求的格子）")
    cell_size: float = Field(..., description="每格边长（像素）")
    max_points: int
    capped: bool = Field(..., description="超过 max_points 时为 true，只画了最近的 max_points 个")
    by_category: list[CategoryCountOut]
