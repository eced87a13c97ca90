"""Hostile files, built the way an attacker builds them, and a measure of what reading one costs."""
from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from dataclasses import dataclass
from functools import lru_cache

MB = 1024 * 1024
_CHUNK = MB


@dataclass(frozen=True)
class Cost:
    seconds: float
    cpu_seconds: float
    peak_bytes: int


def cost(read) -> Cost:
    """What `read()` takes: the time, on the clock and in CPU (measured without tracing, which slows Python
    down), and the peak of memory allocated while it runs (tracemalloc, which sees every allocation made through
    Python's allocator: zlib's buffers, openpyxl's and zipfile's objects). Whatever `read` raises is swallowed."""
    started, cpu_started = time.perf_counter(), time.process_time()
    _swallow(read)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    tracemalloc.start()
    try:
        _swallow(read)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Cost(seconds, cpu_seconds, peak)


def _swallow(read) -> None:
    try:
        read()
    except Exception:  # the refusal is checked by the test itself; here only its cost counts
        pass


@lru_cache(maxsize=None)
def zip_bomb(member: str = "mimetype", unpacked: int = 1024 * MB) -> bytes:
    """About 1 MB of ZIP whose one member inflates to `unpacked` bytes of zeros (1 GiB by default)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w") as target:
            zeros = bytes(_CHUNK)
            for _ in range(unpacked // _CHUNK):
                target.write(zeros)
    return out.getvalue()


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="listings" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def _cells(values) -> bytes:
    return "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values).encode()


HEADER = ("title", "category", "industry", "unit")
ROW = ("계단 청소", "services", "cleaning", "월")


def xlsx(*chunks: bytes) -> bytes:
    """An XLSX of one sheet whose <sheetData> holds `chunks`, written out one after the other."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
                        b'org/spreadsheetml/2006/main"><sheetData>')
            for chunk in chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@lru_cache(maxsize=None)
def xlsx_rows(rows: int) -> bytes:
    """An XLSX of the header and `rows` identical rows, written as a hostile tool writes them: no row or cell
    numbers and no declared dimension, so that they compress to almost nothing (a million: about 700 KB)."""
    line = b"<row>" + _cells(ROW) + b"</row>"
    batch = 10_000
    return xlsx(b"<row>" + _cells(HEADER) + b"</row>",
                *(line * min(batch, rows - done) for done in range(0, rows, batch)))


def xlsx_with_cell(letters: int) -> bytes:
    """An XLSX whose one row's title holds `letters` letters: one cell as large as a sheet."""
    return xlsx(b"<row>" + _cells(HEADER) + b"</row><row>" + _cells(("a" * letters, *ROW[1:])) + b"</row>")


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s size in the central directory (the one zipfile believes) replaced by a lie."""
    data = bytearray(data)
    end = data.rfind(b"PK\x05\x06")
    entry = int.from_bytes(data[end + 16:end + 20], "little")  # where the directory starts
    while data[entry:entry + 4] == b"PK\x01\x02":
        name_length, extra, comment = (int.from_bytes(data[entry + at:entry + at + 2], "little") for at in (28, 30, 32))
        if data[entry + 46:entry + 46 + name_length] == member.encode():
            data[entry + 24:entry + 28] = size.to_bytes(4, "little")
            return bytes(data)
        entry += 46 + name_length + extra + comment
    raise KeyError(member)
