/*
 * xlsx_read.h: reads the first worksheet of an .xlsx file (Office Open XML,
 * as written by Excel, WPS, LibreOffice or libxlsxwriter) into a struct table.
 */
#ifndef DJ_IO_XLSX_READ_H
#define DJ_IO_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

struct table;
struct err;

/* True when data starts like a zip archive ("PK\3\4"): worth trying xlsx_read(). */
bool xlsx_looks_like(const char *data, size_t len);

/*
 * Parses the first worksheet (first <sheet> of xl/workbook.xml, through its
 * relationship) of data[0..len) into `out` (initialised by the caller).
 * Each row's `line` is the sheet's row number; sparse cells (C5 after A5)
 * leave empty cells between. Shared strings, inline strings (libxlsxwriter's
 * constant-memory mode), formula strings and booleans become CELL_TEXT;
 * numbers become CELL_NUMBER, or CELL_DATE when their style's number format
 * is a date (built-in ids 14-22, the CJK date formats 27-36 and 50-58, or a
 * custom format with y/m/d outside quotes); CELL_DATE numbers are serials of
 * the 1900 date system (1904 workbooks are shifted). Returns 0, or -1 with
 * ERR_VALIDATION "import_invalid" and a Chinese message for a file that is
 * not a zip, has no worksheet, holds malformed XML or too large an entry.
 */
int xlsx_read(const char *data, size_t len, struct table *out, struct err *e);

#endif
