/* sechk — Excel serial dates and date number formats (和暦 included). */
#include "sechk/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Serial day numbers: the 1900 system counts from 1899-12-31 = 0 and keeps
 * Lotus 1-2-3's 1900-02-29 (serial 60), so from serial 61 on it counts from
 * 1899-12-30; the 1904 system counts from 1904-01-01 = 0. */
enum { SERIAL_LOTUS_LEAP = 60, DAYS_1904 = 1462 };

/* Days from 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The civil date of a day count from 1970-01-01. */
static void civil_from_days(long z, sk_date *out)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = (int)(yoe + era * 400 + (out->month <= 2));
}

bool sk_serial_to_date(double serial, bool date1904, sk_date *out)
{
    if (!(serial >= 0) || serial > 2958465.0 + DAYS_1904) /* NaN too; 9999-12-31 */
        return false;
    long n = (long)floor(serial);
    if (date1904) {
        n += DAYS_1904;
    } else if (n == SERIAL_LOTUS_LEAP) {
        *out = (sk_date){1900, 2, 29};
        return true;
    } else if (n < SERIAL_LOTUS_LEAP) {
        n += 1; /* 1 = 1900-01-01 */
    }
    if (n < 1 && !date1904)
        return false;
    civil_from_days(n + days_from_civil(1899, 12, 30), out);
    return out->year >= 1900 && out->year <= 9999;
}

double sk_date_to_serial(const sk_date *d, bool date1904)
{
    long n = days_from_civil(d->year, d->month, d->day) - days_from_civil(1899, 12, 30);
    if (date1904)
        return (double)(n - DAYS_1904);
    return (double)(n <= SERIAL_LOTUS_LEAP ? n - 1 : n);
}

/* Reads exactly n digits at s; -1 if they are not there. */
static int fixed_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool sk_iso_date_parse(const char *s, sk_date *out)
{
    while (*s == ' ')
        s++;
    int y = fixed_digits(s, 4), m = y < 0 || s[4] != '-' ? -1 : fixed_digits(s + 5, 2);
    int d = m < 0 || s[7] != '-' ? -1 : fixed_digits(s + 8, 2);
    if (d < 0 || (s[10] && s[10] != 'T' && s[10] != ' '))
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    *out = (sk_date){y, m, d};
    return true;
}

/* Built-in date formats as Japanese Excel shows them (ECMA-376 Part 1,
 * 18.8.30 numFmt, the ja-JP list); ids Excel does not write to styles.xml. */
static const struct {
    int id;
    const char *code;
} builtin[] = {
    {14, "yyyy/m/d"},
    {15, "d-mmm-yy"},
    {16, "d-mmm"},
    {17, "mmm-yy"},
    {22, "yyyy/m/d h:mm"},
    {27, "[$-411]ge.m.d"},
    {28, "[$-411]ggge\"年\"m\"月\"d\"日\""},
    {29, "[$-411]ggge\"年\"m\"月\"d\"日\""},
    {30, "m/d/yy"},
    {31, "yyyy\"年\"m\"月\"d\"日\""},
    {34, "yyyy\"年\"m\"月\""},
    {35, "m\"月\"d\"日\""},
    {36, "[$-411]ge.m.d"},
    {50, "[$-411]ge.m.d"},
    {51, "[$-411]ggge\"年\"m\"月\"d\"日\""},
    {52, "yyyy\"年\"m\"月\""},
    {53, "m\"月\"d\"日\""},
    {54, "[$-411]ggge\"年\"m\"月\"d\"日\""},
    {55, "yyyy\"年\"m\"月\""},
    {56, "m\"月\"d\"日\""},
    {57, "[$-411]ge.m.d"},
    {58, "[$-411]ggge\"年\"m\"月\"d\"日\""},
};

const char *sk_numfmt_builtin_date(int id)
{
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (builtin[i].id == id)
            return builtin[i].code;
    return NULL;
}

/* Japanese eras from their first day (the ones Excel's dates can reach). */
static const struct era {
    int y, m, d;
    const char *name;   /* ggg */
    const char *abbr;   /* gg */
    const char *letter; /* g */
} eras[] = {
    {2019, 5, 1, "令和", "令", "R"},  {1989, 1, 8, "平成", "平", "H"},   {1926, 12, 25, "昭和", "昭", "S"},
    {1912, 7, 30, "大正", "大", "T"}, {1868, 10, 23, "明治", "明", "M"},
};

/* The era of a date, or NULL before Meiji. */
static const struct era *era_of(const sk_date *d)
{
    for (size_t i = 0; i < sizeof eras / sizeof *eras; i++) {
        const struct era *e = &eras[i];
        if (d->year * 10000 + d->month * 100 + d->day >= e->y * 10000 + e->m * 100 + e->d)
            return e;
    }
    return NULL;
}

/* A token of a format's first section. */
typedef enum tok_kind {
    TOK_LIT,
    TOK_YEAR,
    TOK_MONTH,
    TOK_DAY,
    TOK_HOUR,
    TOK_MIN,
    TOK_SEC,
    TOK_ERA,
    TOK_ERA_YEAR,
    TOK_JA_WEEKDAY,
    TOK_AMPM
} tok_kind;

typedef struct tok {
    tok_kind kind;
    int n;           /* letters in the code (yyyy: 4), or the literal's length */
    const char *lit; /* TOK_LIT: the literal text */
} tok;

enum { MAX_TOKS = 128 };

typedef struct parsed {
    tok t[MAX_TOKS];
    int n;
    bool ja;   /* [$-411], [$-ja-JP] and the like */
    bool date; /* a date code was seen */
} parsed;

/* Adds a token (silently dropped past MAX_TOKS: a format that long is no date
 * Excel writes, and the rendering only loses its tail). */
static void add(parsed *p, tok_kind k, int n, const char *lit)
{
    if (p->n < MAX_TOKS)
        p->t[p->n++] = (tok){k, n, lit};
}

/* True if a bracketed [...] section names a Japanese locale ($-411, $-ja-JP,
 * $-x-sysdate is left out: it is the system's long date). */
static bool japanese_locale(const char *s, size_t len)
{
    if (len < 2 || s[0] != '$')
        return false;
    const char *dash = memchr(s, '-', len);
    if (!dash)
        return false;
    size_t rest = len - (size_t)(dash + 1 - s);
    const char *r = dash + 1;
    if (rest >= 2 && (memcmp(r, "ja", 2) == 0 || memcmp(r, "JA", 2) == 0))
        return true;
    /* an LCID in hex, possibly with calendar bits in front: the low 16 bits 0411 */
    if (rest >= 3 && rest <= 8) {
        unsigned long v = 0;
        for (size_t i = 0; i < rest; i++) {
            char c = r[i];
            int h = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (h < 0)
                return false;
            v = v * 16 + (unsigned long)h;
        }
        return (v & 0xFFFF) == 0x411;
    }
    return false;
}

/* Counts a run of the letter c (either case) at s. */
static int run_of(const char *s, char c)
{
    int n = 0;
    while ((s[n] | 0x20) == c)
        n++;
    return n;
}

static void resolve_minutes(parsed *p);

/* Splits the first section of code into tokens. */
static void tokenize(const char *code, parsed *p)
{
    memset(p, 0, sizeof *p);
    const char *s = code;
    while (*s && *s != ';') {
        char c = *s, lc = (char)(c | 0x20);
        if (c == '"') {
            const char *e = strchr(s + 1, '"');
            size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
            add(p, TOK_LIT, (int)n, s + 1);
            s += n + 1 + (e != NULL);
        } else if (c == '\\' && s[1]) {
            size_t n = 1;
            while (((unsigned char)s[1 + n] & 0xC0) == 0x80)
                n++;
            add(p, TOK_LIT, (int)n, s + 1);
            s += 1 + n;
        } else if (c == '[') {
            const char *e = strchr(s, ']');
            if (!e)
                break;
            if (japanese_locale(s + 1, (size_t)(e - s - 1)))
                p->ja = true;
            s = e + 1;
        } else if ((c == '_' || c == '*') && s[1]) {
            if (c == '_')
                add(p, TOK_LIT, 1, " ");
            s += 2;
            while (((unsigned char)*s & 0xC0) == 0x80)
                s++;
        } else if (strncmp(s, "AM/PM", 5) == 0 || strncmp(s, "am/pm", 5) == 0) {
            add(p, TOK_AMPM, 5, NULL);
            s += 5;
        } else if (lc == 'g' && strncasecmp(s, "general", 7) == 0) {
            s += 7;
        } else if (lc == 'e' && (s[1] == '+' || s[1] == '-')) {
            add(p, TOK_LIT, 2, s); /* 0.00E+00: scientific, no era */
            s += 2;
        } else if (lc == 'y' || lc == 'm' || lc == 'd' || lc == 'h' || lc == 's' || lc == 'e' || lc == 'g' ||
                   lc == 'a') {
            int n = run_of(s, lc);
            tok_kind k = lc == 'y'   ? TOK_YEAR
                         : lc == 'm' ? TOK_MONTH
                         : lc == 'd' ? TOK_DAY
                         : lc == 'h' ? TOK_HOUR
                         : lc == 's' ? TOK_SEC
                         : lc == 'e' ? TOK_ERA_YEAR
                         : lc == 'g' ? TOK_ERA
                                     : TOK_JA_WEEKDAY;
            if (k == TOK_JA_WEEKDAY && n < 3)
                add(p, TOK_LIT, n, s); /* a lone "a" is text */
            else
                add(p, k, n, NULL);
            s += n;
        } else if (c == '@') {
            s++;
        } else {
            size_t n = 1;
            while (((unsigned char)s[n] & 0xC0) == 0x80)
                n++;
            add(p, TOK_LIT, (int)n, s);
            s += n;
        }
    }
    resolve_minutes(p);
}

/* Makes m and mm minutes where they follow an hour or precede a second
 * (h:mm, mm:ss), and notes whether any date code is left. */
static void resolve_minutes(parsed *p)
{
    /* m after an hour or before a second is minutes */
    for (int i = 0; i < p->n; i++) {
        if (p->t[i].kind != TOK_MONTH || p->t[i].n > 2)
            continue;
        int j = i - 1, k = i + 1;
        while (j >= 0 && p->t[j].kind == TOK_LIT)
            j--;
        while (k < p->n && p->t[k].kind == TOK_LIT)
            k++;
        if ((j >= 0 && p->t[j].kind == TOK_HOUR) || (k < p->n && p->t[k].kind == TOK_SEC))
            p->t[i].kind = TOK_MIN;
    }
    bool any = false;
    for (int i = 0; i < p->n; i++) {
        tok_kind k = p->t[i].kind;
        any |= k == TOK_YEAR || k == TOK_DAY || k == TOK_ERA_YEAR || k == TOK_ERA || k == TOK_MONTH;
    }
    p->date = any;
}

bool sk_numfmt_is_date(const char *code)
{
    parsed p;
    tokenize(code ? code : "", &p);
    return p.date;
}

/* Appends one date or time code. */
static sk_error render_tok(const parsed *p, const tok *t, const sk_date *d, long secs, bool has_ampm, sk_buf *out)
{
    static const char *const mon[] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};
    static const char *const wday[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    static const char *const wday_ja[] = {"日", "月", "火", "水", "木", "金", "土"};
    const struct era *era = era_of(d);
    bool wareki = p->ja;
    for (int i = 0; i < p->n && !wareki; i++)
        wareki = p->t[i].kind == TOK_ERA;
    long wd = (days_from_civil(d->year, d->month, d->day) + 4) % 7; /* 1970-01-01 was a Thursday */
    if (wd < 0)
        wd += 7;
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), se = (int)(secs % 60);
    switch (t->kind) {
    case TOK_YEAR: return t->n <= 2 ? sk_buf_printf(out, "%02d", d->year % 100) : sk_buf_printf(out, "%d", d->year);
    case TOK_ERA_YEAR:
        if (!wareki || !era)
            return sk_buf_printf(out, "%d", d->year);
        return sk_buf_printf(out, t->n >= 2 ? "%02d" : "%d", d->year - era->y + 1);
    case TOK_ERA:
        if (!era)
            return SK_OK;
        return sk_buf_append(out, t->n >= 3 ? era->name : t->n == 2 ? era->abbr : era->letter);
    case TOK_MONTH:
        if (t->n >= 5)
            return sk_buf_printf(out, "%.1s", mon[d->month - 1]);
        if (t->n == 4)
            return sk_buf_append(out, mon[d->month - 1]);
        if (t->n == 3)
            return sk_buf_printf(out, "%.3s", mon[d->month - 1]);
        return sk_buf_printf(out, t->n == 2 ? "%02d" : "%d", d->month);
    case TOK_DAY:
        if (t->n >= 4)
            return sk_buf_append(out, wday[wd]);
        if (t->n == 3)
            return sk_buf_printf(out, "%.3s", wday[wd]);
        return sk_buf_printf(out, t->n == 2 ? "%02d" : "%d", d->day);
    case TOK_JA_WEEKDAY: return sk_buf_printf(out, "%s%s", wday_ja[wd], t->n >= 4 ? "曜日" : "");
    case TOK_HOUR: {
        int hh = has_ampm ? (h % 12 == 0 ? 12 : h % 12) : h;
        return sk_buf_printf(out, t->n >= 2 ? "%02d" : "%d", hh);
    }
    case TOK_MIN: return sk_buf_printf(out, t->n >= 2 ? "%02d" : "%d", mi);
    case TOK_SEC: return sk_buf_printf(out, t->n >= 2 ? "%02d" : "%d", se);
    case TOK_AMPM: return sk_buf_append(out, h < 12 ? "AM" : "PM");
    case TOK_LIT: return sk_buf_append_len(out, t->lit, (size_t)t->n);
    }
    return SK_OK;
}

sk_error sk_numfmt_render(const char *code, double serial, bool date1904, sk_buf *out)
{
    parsed p;
    sk_date d;
    tokenize(code ? code : "", &p);
    if (!p.date || !sk_serial_to_date(serial, date1904, &d))
        return SK_ERR_USAGE;
    double frac = serial - floor(serial);
    long secs = (long)floor(frac * 86400.0 + 0.5);
    if (secs >= 86400)
        secs = 86399;
    bool has_ampm = false;
    for (int i = 0; i < p.n; i++)
        has_ampm |= p.t[i].kind == TOK_AMPM;
    size_t mark = out->len;
    for (int i = 0; i < p.n; i++) {
        sk_error e = render_tok(&p, &p.t[i], &d, secs, has_ampm, out);
        if (e) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            return e;
        }
    }
    return SK_OK;
}
