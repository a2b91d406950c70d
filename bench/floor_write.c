/* The floor for `sechk batch` review workbooks (issue 21): bare
 * libxlsxwriter writing the same sheets, cells and formats, nothing else.
 *
 *   floor_write [-p] DUMP.txt OUTDIR
 *
 * DUMP.txt is what bench/dump_cells.py wrote from the workbooks sechk made
 * (the record format is described there).  The whole dump is read into
 * memory first; then each workbook is written to OUTDIR with the default
 * workbook options (as sechk's review workbooks are).  -p sets the heap
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
#define MAX_FIELDS 13

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
    return x;
}

/* The format records, kept to be added to each workbook that uses them. */
typedef struct {
    char *fields[MAX_FIELDS];
} fmt_rec;

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
    static fmt_rec recs[MAX_FORMATS];
    lxw_format *fmts[MAX_FORMATS];
    lxw_workbook *wb = NULL;
    lxw_worksheet *ws = NULL;
    char path[4096];
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *f[MAX_FIELDS];
        int n = split(line, f);
        switch (f[0][0]) {
        case 'W':
            if (wb && workbook_close(wb) != LXW_NO_ERROR)
                return 1;
            snprintf(path, sizeof path, "%s/%s", argv[a + 1], f[1]);
            wb = workbook_new(path);
            ws = NULL;
            memset(fmts, 0, sizeof fmts);
            break;
        case 'F': {
            int id = atoi(f[1]);
            if (n != MAX_FIELDS || id < 0 || id >= MAX_FORMATS)
                return 1;
            memcpy(recs[id].fields, f, sizeof f);
            break;
        }
        case 'S': ws = wb ? workbook_add_worksheet(wb, f[1]) : NULL; break;
        case 's':
        case 'n': {
            int id = atoi(f[3]);
            if (!ws || n < 5 || id < 0 || id >= MAX_FORMATS || !recs[id].fields[0])
                return 1;
            if (!fmts[id])
                fmts[id] = add_format(wb, recs[id].fields);
            lxw_row_t r = (lxw_row_t)atoi(f[1]);
            lxw_col_t c = (lxw_col_t)atoi(f[2]);
            if (f[0][0] == 's')
                worksheet_write_string(ws, r, c, f[4], fmts[id]);
            else
                worksheet_write_number(ws, r, c, atof(f[4]), fmts[id]);
            break;
        }
        default: break;
        }
    }
    if (wb && workbook_close(wb) != LXW_NO_ERROR)
        return 1;
    free(data);
    return 0;
}
