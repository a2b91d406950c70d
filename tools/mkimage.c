/* sechk — build tool: writes the default template's image.
 *
 *   mkimage OUT
 *
 * Loads templates/default.xml (the copy compiled into the library) and
 * writes the loaded template as a position-independent image
 * (sk_template_image), which src/checklist/default_image.S embeds so that
 * sechk starts without parsing the XML.  A pointer from the template to
 * anything outside its arena (a string literal, say) would not survive the
 * move: every word of the image that points into the program, a library,
 * the heap or the stack (/proc/self/maps) and not into the arena stops the
 * build. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/template.h"

enum { MAX_MAPS = 512 };

typedef struct maps {
    uintptr_t lo[MAX_MAPS], hi[MAX_MAPS];
    size_t n;
} maps;

/* True if v points into one of the process's mappings. */
static bool mapped(uintptr_t v, void *ctx)
{
    const maps *m = ctx;
    for (size_t i = 0; i < m->n; i++)
        if (v >= m->lo[i] && v < m->hi[i]) {
            fprintf(stderr, "mkimage: the template points outside its arena (0x%" PRIxPTR ")\n", v);
            return true;
        }
    return false;
}

/* Reads the process's mappings. */
static int read_maps(maps *m)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[512];
    m->n = 0;
    while (m->n < MAX_MAPS && fgets(line, sizeof line, f)) {
        uintptr_t lo, hi;
        /* files (the program and its libraries: string literals), the heap
         * and the stack; not anonymous mappings, which under AddressSanitizer
         * include terabytes of shadow memory that short strings "point" into */
        if (!strchr(line, '/') && !strstr(line, "[heap]") && !strstr(line, "[stack]"))
            continue;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2) {
            m->lo[m->n] = lo;
            m->hi[m->n] = hi;
            m->n++;
        }
    }
    fclose(f);
    return m->n < MAX_MAPS ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkimage OUT\n");
        return 2;
    }
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_template_load_default_xml(&t, &d) != SK_OK) {
        fprintf(stderr, "mkimage: %s: %s\n", d.where, d.reason);
        return 1;
    }
    static maps m;
    sk_buf img = SK_BUF_INIT;
    int status = 1;
    if (read_maps(&m) != 0)
        fprintf(stderr, "mkimage: cannot read /proc/self/maps\n");
    else if (sk_template_image(t, mapped, &m, &img) != SK_OK)
        fprintf(stderr, "mkimage: cannot make the template's image\n");
    else {
        FILE *f = fopen(argv[1], "wb");
        if (!f || fwrite(img.data, 1, img.len, f) != img.len || fclose(f) != 0)
            fprintf(stderr, "mkimage: %s: %s\n", argv[1], strerror(errno));
        else
            status = 0;
    }
    sk_buf_free(&img);
    sk_template_free(t);
    return status;
}
