/* sechk — Excel dates: serial numbers and date number formats.
 *
 * A date typed into Excel is a number cell (days since the workbook's epoch:
 * 1899-12-30 in the 1900 date system, with Lotus's phantom 1900-02-29, or
 * 1904-01-01 when workbook.xml says date1904) shown through its style's
 * number format.  Vendors put the label into the format too
 * ("作成日："yyyy"年"m"月"d"日"), and Japanese Excel shows 和暦 with
 * [$-ja-JP] / [$-411] and the era codes g, gg, ggg and e.
 *
 * sk_numfmt_render shows a serial the way Excel would for the date and the
 * literal parts of the format's first section (times are shown too, digits
 * only); the result is what a reader sees in the cell.
 */
#ifndef SECHK_NUMFMT_H
#define SECHK_NUMFMT_H

#include <stdbool.h>

#include "sechk/error.h"
#include "sechk/text.h"

/* A calendar date (proleptic Gregorian). */
typedef struct sk_date {
    int year, month, day;
} sk_date;

/* Converts a serial day number to a date; false outside 1900-01-01 ..
 * 9999-12-31 (or for a negative serial).  The fraction (time of day) is
 * ignored. */
bool sk_serial_to_date(double serial, bool date1904, sk_date *out);

/* The serial day number of a date in the given date system. */
double sk_date_to_serial(const sk_date *d, bool date1904);

/* Parses an ISO 8601 date ("2026-04-01", "2026-04-01T00:00:00.000Z") at the
 * start of s; false if it is not one. */
bool sk_iso_date_parse(const char *s, sk_date *out);

/* The format code of a built-in number format id (the ids Excel leaves out
 * of styles.xml, as Japanese Excel shows them: 14 yyyy/m/d, 27–36 and 50–58
 * 和暦 and 年月日), or NULL for an id that is not a date format. */
const char *sk_numfmt_builtin_date(int id);

/* True if the format code shows a date (it has a year, month-of-year, day or
 * era code outside literal text), e.g. yyyy/m/d, "作成日："ggge"年"m"月"d"日". */
bool sk_numfmt_is_date(const char *code);

/* Appends the serial shown through the first section of code to out.
 * Returns SK_OK, SK_ERR_USAGE if code is not a date format or the serial no
 * date, SK_ERR_NOMEM. */
sk_error sk_numfmt_render(const char *code, double serial, bool date1904, sk_buf *out);

#endif
