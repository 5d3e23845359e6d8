"""How much a loader will read: every input is bounded before it is parsed.

The limits are module constants so a caller (or a test) can change them, e.g.
``chainkg.loaders.limits.MAX_FIELD_CHARS = 4 << 20``. They are read at call
time, never copied. Anything over a limit is one error naming the file (and
row and column where there is one), never a crash, hang or memory blow-up.
The README section "Limits and encodings" lists them.
"""

from __future__ import annotations

#: Largest input file read at all (CSV, YAML or XLSX, as stored on disk).
MAX_FILE_BYTES = 256 << 20
#: Largest single field (CSV cell, XLSX cell, YAML string), in characters: a 1 MB note fits.
MAX_FIELD_CHARS = 1 << 20
#: Largest row (all its fields together), in characters.
MAX_ROW_CHARS = 4 << 20
#: Most cells in one row (Excel's own column limit).
MAX_COLUMNS = 16384
#: Most rows in one CSV file or sheet (Excel's own row limit).
MAX_ROWS = 1_048_576

#: XLSX: most members in the zip archive.
XLSX_MAX_MEMBERS = 10_000
#: XLSX: largest uncompressed member (a sheet's XML), as the archive declares it. Checked before reading;
#: Python's zipfile never inflates a member past its declared size.
XLSX_MAX_PART_BYTES = 256 << 20
#: XLSX: largest uncompressed shared-strings table (every distinct text of the workbook, held in memory).
XLSX_MAX_SHARED_STRINGS_BYTES = 16 << 20
#: XLSX: largest other XML part (workbook, styles, theme …), each parsed whole before the sheets.
XLSX_MAX_OTHER_XML_BYTES = 16 << 20
#: XLSX: largest total uncompressed size of all members.
XLSX_MAX_TOTAL_BYTES = 512 << 20
#: XLSX: highest compression ratio accepted for a member larger than XLSX_RATIO_FLOOR (zip bombs run at 1000:1).
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 1 << 20
#: XLSX: most non-empty cells in one workbook; cells are counted as they are read, empty rows cost nothing.
XLSX_MAX_CELLS = 1_000_000
#: XLSX: most seconds spent reading one workbook's sheets (openpyxl reads some 50,000–200,000 cells a second);
#: a bigger table loads faster and without this limit as CSV.
XLSX_MAX_SECONDS = 6.0

#: YAML: largest template file (a template is a few KB; a 1 MB note still fits).
YAML_MAX_FILE_BYTES = 4 << 20
#: YAML: deepest nesting of lists and mappings (a template needs 4).
YAML_MAX_DEPTH = 64
#: YAML: most values after expanding aliases (a template holds a few thousand; a billion-laughs bomb 10⁹).
YAML_MAX_NODES = 100_000


def size(n: int) -> str:
    """A byte count as people write it.

    >>> size(1 << 20), size(256 << 20), size(1500)
    ('1 MiB', '256 MiB', '1,500 bytes')
    """
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n:,} bytes"
