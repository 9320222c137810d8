"""A report as a standalone HTML document, as PDF through WeasyPrint, and its tables as a
zip of CSV files.

The PDF is the same document printed: the charts are inline SVG, which WeasyPrint draws as
vectors, and a members' report carries its notice in every page's header and footer (CSS
running elements). The zip holds the same read model's tables and facts, nothing read
again, with a README that carries the report's title and, for a members' report, its
notice."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from peerlearn.core.dates import date_format
from peerlearn.reports.selectors import Report

# WeasyPrint logs each step at INFO and every CSS property it skips at WARNING.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def report_document(report: Report, *, for_print: bool = False) -> str:
    """The report as one HTML file with its styles inside, for saving or printing. For
    print, charts are images (SVG, drawn as vectors), since WeasyPrint reads inline SVG's
    styles as HTML's."""
    return render_to_string("reports/document.html", {"report": report, "for_print": for_print})


def report_pdf(report: Report) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    return bytes(HTML(string=report_document(report, for_print=True)).write_pdf())


#: A spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A cell as text, with an apostrophe before what a spreadsheet would run as a formula
    (the report's texts are written by members)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, by which spreadsheet programs know the encoding
    (without it Excel reads "—" and "É" as two strange characters each)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def report_tables_zip(report: Report) -> bytes:
    """The report's tables as a zip: one CSV file per table (its headers first), a
    ``facts.csv`` of every section's facts, an ``index.csv`` naming the section and caption
    of each file, and a README with the report's title, date and notice."""
    buffer = io.BytesIO()
    index: list[list[str]] = []
    facts: list[list[str]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, section in enumerate(report.sections, start=1):
            facts.extend([section.title, str(label), str(value)] for label, value in section.facts)
            for m, table in enumerate(section.tables, start=1):
                name = f"{n:02d}-{section.key}-{m}.csv"
                archive.writestr(name, _csv(table.headers, table.rows))
                index.append([name, section.title, table.caption])
        archive.writestr("facts.csv", _csv([_("Section"), _("Fact"), _("Value")], facts))
        archive.writestr("index.csv", _csv([_("File"), _("Section"), _("Table")], index))
        lines = [
            f"{report.title} — {report.subtitle}",
            _("Generated on %(day)s.") % {"day": date_format(report.generated_on, "DATE_FORMAT")},
            report.internal_notice or _("Public version: holds only what anyone may see."),
            "",
        ]
        archive.writestr("README.txt", "\n".join(lines))
    return buffer.getvalue()
