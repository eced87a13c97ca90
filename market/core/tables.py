"""The one way a table leaves as a file: CSV (UTF-8 with a BOM, so that Excel reads Korean) or XLSX.

A CSV is streamed as its rows come (an audit log may hold hundreds of thousands), in the request's context so
that the rows may still be read from the database. A text cell that begins like a formula is written after an
apostrophe: a spreadsheet would otherwise run what a person typed into a name or a reason. Every CSV and XLSX
the site writes goes through `download`, so through `cell`; a file read back in (the catalog import) drops the
apostrophe again with `read_cell`."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response, stream_with_context
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK_ROWS = 500


def cell(value):
    """The value as a spreadsheet may hold it: text that a spreadsheet would compute is made plain text."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def read_cell(text: str) -> str:
    """A cell of a file the site wrote, as it was before `cell`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def download(fmt: str, name: str, header: list, rows: Iterable[list]) -> Response:
    disposition = {"Content-Disposition": f"attachment; filename={name}"}
    if fmt == "csv":
        return Response(stream_with_context(_csv_chunks(header, rows)), mimetype="text/csv; charset=utf-8",
                        headers=disposition)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name.split(".")[0][:31]
    for row in [header, *rows]:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), headers=disposition,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _csv_chunks(header: list, rows: Iterable[list]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM: Excel otherwise reads UTF-8 as the local code page
    writer.writerow([cell(value) for value in header])
    for number, row in enumerate(rows, 1):
        writer.writerow([cell(value) for value in row])
        if number % _CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
