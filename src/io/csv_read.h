/*
 * csv_read.h: reads a CSV file (RFC 4180) into a struct table, detecting the
 * encoding the way DESIGN.md "Known traps" asks: UTF-8 with or without BOM,
 * otherwise GB18030/GBK as Excel writes it on Chinese Windows.
 */
#ifndef DJ_IO_CSV_READ_H
#define DJ_IO_CSV_READ_H

#include <stddef.h>

struct table;
struct err;

/*
 * Parses data[0..len) into `out` (initialised by the caller with table_init;
 * rows are appended). Quoted fields may hold commas, doubled quotes and line
 * breaks (kept as they are); records end with CRLF, LF or CR.
 * Blank lines (anywhere, including trailing ones) are skipped but counted, so
 * every row's `line` is the physical line where its record starts.
 *
 * Encoding: a UTF-8 BOM is stripped; strictly valid UTF-8 is taken as is;
 * anything else is converted from GB18030 with iconv. Returns 0, or -1 with
 * ERR_VALIDATION "import_invalid" in `e` and a Chinese message: an invalid
 * byte ("文件编码无法识别：第N字节无效", N counted from 1 in the original
 * bytes), a UTF-16 file, or an unclosed quote.
 */
int csv_read(const char *data, size_t len, struct table *out, struct err *e);

/*
 * Returns the 0-based offset of the first byte of data[0..len) that is not
 * strictly valid UTF-8 (overlong forms, surrogates, code points above
 * U+10FFFF and NUL are invalid), or `len` when all of it is valid.
 */
size_t utf8_invalid_offset(const char *data, size_t len);

#endif
