/* The floor for `sechk batch` review workbooks (issue 21): bare
 * libxlsxwriter writing the same sheets, cells and formats, nothing else:
 * the cells, merged ranges, links, comments, column widths, row heights,
 * page setup, the chart and the document properties that sechk's review
 * workbooks and summary.xlsx hold, replayed from a dump of them.
 *
 *   floor_write [-p] DUMP.txt OUTDIR
 *
 * DUMP.txt is what bench/dump_cells.py wrote from the workbooks sechk made
 * (the record format is described there).  The whole dump is read into
 * memory first; then each workbook is written to OUTDIR with the default
 * workbook options (as sechk's review workbooks are), or constant_memory
 * (as summary.xlsx is).  -p sets the heap
 * padding sechk sets for commands that write workbooks (M_TOP_PAD 64 MiB,
 * M_TRIM_THRESHOLD 128 MiB), to measure what it is worth.  Exit 0, or 1
 * with a message on stderr.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define MAX_FORMATS 4096
#define MAX_FIELDS 16
#define FMT_FIELDS 15

/* Splits line at tabs in place and unescapes each field; returns the count. */
static int split(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < MAX_FIELDS; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    for (int k = 0; k < n; k++) {
        char *w = f[k];
        for (char *r = f[k]; *r; r++) {
            if (*r == '\\' && r[1]) {
                r++;
                *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r == 'r' ? '\r' : *r;
            } else {
                *w++ = *r;
            }
        }
        *w = '\0';
    }
    return n;
}

static uint8_t halign(const char *s)
{
    return !strcmp(s, "center") ? LXW_ALIGN_CENTER : !strcmp(s, "left") ? LXW_ALIGN_LEFT
                                                 : !strcmp(s, "right")  ? LXW_ALIGN_RIGHT
                                                                        : LXW_ALIGN_NONE;
}

static uint8_t valign(const char *s)
{
    return !strcmp(s, "center") ? LXW_ALIGN_VERTICAL_CENTER
           : !strcmp(s, "top")  ? LXW_ALIGN_VERTICAL_TOP
                                : LXW_ALIGN_VERTICAL_BOTTOM;
}

/* Adds format record f[2..] to wb. */
static lxw_format *add_format(lxw_workbook *wb, char **f)
{
    lxw_format *x = workbook_add_format(wb);
    if (atoi(f[2]))
        format_set_bold(x);
    if (atoi(f[3]))
        format_set_italic(x);
    if (atoi(f[4]))
        format_set_underline(x, LXW_UNDERLINE_SINGLE);
    format_set_font_size(x, atof(f[5]));
    if (strcmp(f[6], "-"))
        format_set_font_name(x, f[6]);
    if (strcmp(f[7], "-"))
        format_set_font_color(x, (lxw_color_t)strtol(f[7], NULL, 16));
    if (strcmp(f[8], "-"))
        format_set_bg_color(x, (lxw_color_t)strtol(f[8], NULL, 16));
    if (atoi(f[9]))
        format_set_text_wrap(x);
    if (strcmp(f[10], "-"))
        format_set_align(x, halign(f[10]));
    if (strcmp(f[11], "-"))
        format_set_align(x, valign(f[11]));
    if (atoi(f[12]))
        format_set_border(x, LXW_BORDER_THIN);
    if (atoi(f[13]))
        format_set_bottom(x, atoi(f[13]) == 2 ? LXW_BORDER_MEDIUM : LXW_BORDER_THIN);
    if (strcmp(f[14], "-"))
        format_set_bottom_color(x, (lxw_color_t)strtol(f[14], NULL, 16));
    return x;
}

/* The format records, kept to be added to each workbook that uses them. */
typedef struct {
    char *fields[MAX_FIELDS];
} fmt_rec;

typedef struct {
    fmt_rec recs[MAX_FORMATS];
    lxw_format *fmts[MAX_FORMATS];
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_doc_properties props;
    char *custom[2];
    lxw_row_t breaks[64];
    int n_breaks;
} floor_state;

/* The format of record id in the current workbook, added on first use; NULL if unknown. */
static lxw_format *fmt(floor_state *st, const char *s)
{
    int id = atoi(s);
    if (id < 0 || id >= MAX_FORMATS || !st->recs[id].fields[0])
        return NULL;
    if (!st->fmts[id])
        st->fmts[id] = add_format(st->wb, st->recs[id].fields);
    return st->fmts[id];
}

/* A column width as given to worksheet_set_column, from the width stored
 * (libxlsxwriter adds 5 pixels of padding at 7 pixels a character). */
static double col_width(double stored)
{
    return stored < 1 + 5.0 / 7 ? stored : (double)((long)(stored * 7 + 0.5) - 5) / 7;
}

/* Writes the chart of an H record (laid out as sechk's review.c does). */
static void chart(floor_state *st, char **f)
{
    lxw_chart *ch = workbook_add_chart(st->wb, LXW_CHART_BAR);
    lxw_chart_series *s = chart_add_series(ch, f[10], f[11]);
    chart_series_set_name(s, "項目数");
    lxw_chart_fill fills[16];
    lxw_chart_point pts[16], *pp[17];
    int n = 0;
    for (char *c = f[12]; *c && n < 16; n++) {
        fills[n] = (lxw_chart_fill){.color = (lxw_color_t)strtol(c, &c, 16)};
        pts[n] = (lxw_chart_point){.fill = &fills[n]};
        pp[n] = &pts[n];
        if (*c == ',')
            c++;
    }
    pp[n] = NULL;
    chart_series_set_points(s, pp);
    lxw_chart_font font = {.name = "ＭＳ Ｐゴシック", .size = 9};
    lxw_chart_font title_font = {.name = "ＭＳ Ｐゴシック", .size = 11, .bold = LXW_EXPLICIT_FALSE};
    chart_series_set_labels(s);
    chart_series_set_labels_font(s, &font);
    chart_set_series_gap(ch, (uint16_t)atoi(f[8]));
    chart_title_set_name(ch, f[7]);
    chart_title_set_name_font(ch, &title_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    chart_axis_set_reverse(ch->y_axis);
    chart_axis_set_crossing_max(ch->y_axis);
    chart_axis_set_num_font(ch->x_axis, &font);
    chart_axis_set_num_font(ch->y_axis, &font);
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_num_format(ch->x_axis, "0");
    chart_axis_set_major_unit(ch->x_axis, atof(f[9]));
    lxw_chart_options co = {.x_offset = (int32_t)atoi(f[3]), .y_offset = (int32_t)atoi(f[4]),
                            .x_scale = atof(f[5]), .y_scale = atof(f[6]),
                            .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
    worksheet_insert_chart_opt(st->ws, (lxw_row_t)atoi(f[1]), (lxw_col_t)atoi(f[2]), ch, &co);
}

/* Sets the page setup of a P record. */
static void page(floor_state *st, char **f)
{
    worksheet_set_paper(st->ws, (uint8_t)atoi(f[2]));
    if (atoi(f[1]))
        worksheet_set_landscape(st->ws);
    else
        worksheet_set_portrait(st->ws);
    if (atoi(f[3]) >= 0)
        worksheet_fit_to_pages(st->ws, (uint16_t)atoi(f[3]), (uint16_t)atoi(f[4]));
    worksheet_set_margins(st->ws, atof(f[5]), atof(f[6]), atof(f[7]), atof(f[8]));
    if (*f[9])
        worksheet_set_header(st->ws, f[9]);
    if (*f[10])
        worksheet_set_footer(st->ws, f[10]);
}

/* Writes a comment of a c record. */
static void comment(floor_state *st, char **f)
{
    lxw_comment_options co = {.author = "sechk", .width = (uint16_t)atoi(f[3]), .height = (uint16_t)atoi(f[4]),
                              .font_name = strcmp(f[5], "-") ? f[5] : NULL, .font_size = atof(f[6])};
    worksheet_write_comment_opt(st->ws, (lxw_row_t)atoi(f[1]), (lxw_col_t)atoi(f[2]), f[7], &co);
}

/* Closes the current workbook (with its properties); 0 or -1. */
static int close_book(floor_state *st)
{
    if (!st->wb)
        return 0;
    workbook_set_properties(st->wb, &st->props);
    if (st->custom[0])
        workbook_set_custom_property_string(st->wb, st->custom[0], st->custom[1]);
    lxw_error e = workbook_close(st->wb);
    st->wb = NULL;
    return e == LXW_NO_ERROR ? 0 : -1;
}

/* The records that end a sheet's cells. */
static void sheet_record(floor_state *st, char **f)
{
    lxw_worksheet *ws = st->ws;
    switch (f[0][0]) {
    case 'C': worksheet_set_column(ws, (lxw_col_t)atoi(f[1]), (lxw_col_t)atoi(f[2]), col_width(atof(f[3])), NULL); break;
    case 'R': worksheet_set_row(ws, (lxw_row_t)atoi(f[1]), atof(f[2]), NULL); break;
    case 'P': page(st, f); break;
    case 'T': worksheet_repeat_rows(ws, (lxw_row_t)atoi(f[1]), (lxw_row_t)atoi(f[2])); break;
    case 't': worksheet_repeat_columns(ws, (lxw_col_t)atoi(f[1]), (lxw_col_t)atoi(f[2])); break;
    case 'A':
        worksheet_print_area(ws, (lxw_row_t)atoi(f[1]), (lxw_col_t)atoi(f[2]), (lxw_row_t)atoi(f[3]),
                             (lxw_col_t)atoi(f[4]));
        break;
    case 'B':
        if (st->n_breaks < 62) {
            st->breaks[st->n_breaks++] = (lxw_row_t)atoi(f[1]);
            st->breaks[st->n_breaks] = 0;
            worksheet_set_h_pagebreaks(ws, st->breaks);
        }
        break;
    case 'Z': worksheet_freeze_panes(ws, (lxw_row_t)atoi(f[1]), (lxw_col_t)atoi(f[2])); break;
    case 'O':
        worksheet_autofilter(ws, (lxw_row_t)atoi(f[1]), (lxw_col_t)atoi(f[2]), (lxw_row_t)atoi(f[3]),
                             (lxw_col_t)atoi(f[4]));
        break;
    case 'a': worksheet_activate(ws); break;
    case 'H': chart(st, f); break;
    case 'c': comment(st, f); break;
    default: break;
    }
}

/* Replays one record; 0 or -1. */
static int record(floor_state *st, char **f, int n, const char *outdir)
{
    char path[4096];
    lxw_row_t r = (lxw_row_t)atoi(f[n > 1 ? 1 : 0]);
    lxw_col_t c = (lxw_col_t)atoi(f[n > 2 ? 2 : 0]);
    switch (f[0][0]) {
    case 'W':
        if (close_book(st))
            return -1;
        snprintf(path, sizeof path, "%s/%s", outdir, f[1]);
        /* part files where TMPDIR says (sechk's go to its output folder) */
        lxw_workbook_options o = {.constant_memory = (uint8_t)atoi(f[2]), .tmpdir = getenv("TMPDIR")};
        st->wb = workbook_new_opt(path, &o);
        st->ws = NULL;
        st->n_breaks = 0;
        memset(st->fmts, 0, sizeof st->fmts);
        memset(&st->props, 0, sizeof st->props);
        st->custom[0] = NULL;
        return st->wb ? 0 : -1;
    case 'D':
        st->props = (lxw_doc_properties){.title = f[1], .subject = f[2], .author = f[3], .company = f[4],
                                         .category = f[5], .keywords = f[6], .comments = f[7], .created = 1};
        return 0;
    case 'X': st->custom[0] = f[1], st->custom[1] = f[2]; return 0;
    case 'F': {
        int id = atoi(f[1]);
        if (n != FMT_FIELDS || id < 0 || id >= MAX_FORMATS)
            return -1;
        memcpy(st->recs[id].fields, f, sizeof st->recs[id].fields);
        return 0;
    }
    case 'S':
        st->ws = st->wb ? workbook_add_worksheet(st->wb, f[1]) : NULL;
        st->n_breaks = 0;
        return st->ws ? 0 : -1;
    default: break;
    }
    if (!st->ws)
        return -1;
    switch (f[0][0]) {
    case 's': worksheet_write_string(st->ws, r, c, f[4], fmt(st, f[3])); break;
    case 'n': worksheet_write_number(st->ws, r, c, atof(f[4]), fmt(st, f[3])); break;
    case 'b': worksheet_write_blank(st->ws, r, c, fmt(st, f[3])); break;
    case 'f': worksheet_write_formula_str(st->ws, r, c, f[4][0] == '=' ? f[4] + 1 : f[4], fmt(st, f[3]), ""); break;
    case 'M':
        worksheet_merge_range(st->ws, r, c, (lxw_row_t)atoi(f[3]), (lxw_col_t)atoi(f[4]), f[6], fmt(st, f[5]));
        break;
    case 'U': {
        snprintf(path, sizeof path, "internal:%s", f[4]);
        worksheet_write_url_opt(st->ws, r, c, path, fmt(st, f[3]), f[5], NULL);
        break;
    }
    default: sheet_record(st, f); break;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int a = 1;
    if (a < argc && !strcmp(argv[a], "-p")) {
        mallopt(M_TOP_PAD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 128 << 20);
        a++;
    }
    if (argc - a != 2) {
        fputs("usage: floor_write [-p] DUMP.txt OUTDIR\n", stderr);
        return 1;
    }
    FILE *fp = fopen(argv[a], "rb");
    if (!fp) {
        fprintf(stderr, "floor_write: %s: %s\n", argv[a], strerror(errno));
        return 1;
    }
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    rewind(fp);
    char *data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, fp) != (size_t)size) {
        fprintf(stderr, "floor_write: cannot read %s\n", argv[a]);
        return 1;
    }
    fclose(fp);
    data[size] = '\0';
    static floor_state st;
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *f[MAX_FIELDS];
        int n = split(line, f);
        for (int k = n; k < MAX_FIELDS; k++)
            f[k] = "";
        if (record(&st, f, n, argv[a + 1])) {
            fprintf(stderr, "floor_write: bad record: %s\n", f[0]);
            return 1;
        }
    }
    if (close_book(&st))
        return 1;
    free(data);
    return 0;
}
