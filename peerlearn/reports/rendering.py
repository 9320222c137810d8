"""A report as a standalone HTML document, and as PDF through WeasyPrint.

The PDF is the same document printed: the charts are inline SVG, which WeasyPrint draws as
vectors, and a members' report carries its notice in every page's header and footer (CSS
running elements)."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

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
