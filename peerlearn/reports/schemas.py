from __future__ import annotations

from datetime import date

from ninja import Schema


class FactOut(Schema):
    label: str
    value: str


class TableOut(Schema):
    caption: str
    headers: list[str]
    rows: list[list[str]]


class ChartOut(Schema):
    title: str
    description: str
    svg: str


class SectionOut(Schema):
    key: str
    title: str
    order: int
    intro: str
    facts: list[FactOut]
    tables: list[TableOut]
    charts: list[ChartOut]
    html: str
    internal: bool


class ReportOut(Schema):
    title: str
    subtitle: str
    audience: str
    generated_on: date
    internal_notice: str | None
    sections: list[SectionOut]
