/* sechk benchmarks: the fair floor (brief section 9, docs/performance.md).
 *
 * A bare libzip + libxml2 xmlTextReader pass over the two parts sechk reads
 * most of: xl/worksheets/sheet1.xml and xl/sharedStrings.xml.  Every node of
 * both parts is streamed and nothing is done with it: no limits, no DOCTYPE
 * scan, no cells kept.  Anything sechk does beyond this is its own cost.
 *
 *   floor_xmlreader [-v] [-s] FILE...     each file once, in one process
 *
 * With -v it prints the files, nodes and inflated bytes to stderr.  With -s
 * it uses libxml2's SAX2 push parser (callbacks that do nothing, 64 KiB
 * chunks) instead of xmlTextReader: what a SAX-based reader could reach.
 * Exit status: 0, or 2 if a file or part could not be read.
 */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

static const char *const parts[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};

typedef struct stream {
    zip_file_t *zf;
    unsigned long long bytes;
} stream;

static int read_cb(void *ctx, char *buf, int len)
{
    stream *s = ctx;
    zip_int64_t n = zip_fread(s->zf, buf, (zip_uint64_t)len);
    if (n < 0)
        return -1;
    s->bytes += (unsigned long long)n;
    return (int)n;
}

/* SAX2 callbacks that count and do nothing. */
static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                      const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
    (void)localname, (void)prefix, (void)uri, (void)nb_ns, (void)ns, (void)nb_attrs, (void)nb_defaulted;
    (void)attrs;
    ++*(long long *)ctx;
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri;
}

static void sax_chars(void *ctx, const xmlChar *ch, int len)
{
    (void)ch, (void)len;
    ++*(long long *)ctx;
}

/* Streams one part through the SAX2 push parser; the number of elements and
 * text runs, or -1. */
static long long sax_part(zip_t *za, const char *file, const char *name, unsigned long long *bytes)
{
    zip_file_t *zf = zip_fopen(za, name, 0);
    if (!zf) {
        fprintf(stderr, "floor_xmlreader: %s: no %s\n", file, name);
        return -1;
    }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_chars;
    long long nodes = 0;
    static char buf[65536];
    xmlParserCtxtPtr p = xmlCreatePushParserCtxt(&sax, &nodes, NULL, 0, name);
    int ok = p != NULL;
    if (p)
        xmlCtxtUseOptions(p, XML_PARSE_NONET);
    zip_int64_t n;
    while (ok && (n = zip_fread(zf, buf, sizeof buf)) > 0) {
        *bytes += (unsigned long long)n;
        ok = xmlParseChunk(p, buf, (int)n, 0) == 0;
    }
    ok = ok && xmlParseChunk(p, NULL, 0, 1) == 0 && p->wellFormed;
    if (p)
        xmlFreeParserCtxt(p);
    zip_fclose(zf);
    if (!ok) {
        fprintf(stderr, "floor_xmlreader: %s: %s: parse error\n", file, name);
        return -1;
    }
    return nodes;
}

static int close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

/* Streams one part; returns the number of nodes, or -1. */
static long long stream_part(zip_t *za, const char *file, const char *name, unsigned long long *bytes)
{
    stream s = {zip_fopen(za, name, 0), 0};
    if (!s.zf) {
        fprintf(stderr, "floor_xmlreader: %s: no %s\n", file, name);
        return -1;
    }
    long long nodes = 0;
    xmlTextReaderPtr r = xmlReaderForIO(read_cb, close_cb, &s, name, NULL, XML_PARSE_NONET);
    int ret = r ? 1 : -1;
    while (r && (ret = xmlTextReaderRead(r)) == 1)
        nodes++;
    if (r)
        xmlFreeTextReader(r);
    zip_fclose(s.zf);
    *bytes += s.bytes;
    if (ret != 0) {
        fprintf(stderr, "floor_xmlreader: %s: %s: parse error\n", file, name);
        return -1;
    }
    return nodes;
}

int main(int argc, char **argv)
{
    int verbose = 0, sax = 0, first = 1, status = 0;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[first], "-s") == 0)
            sax = 1;
        else
            break;
    }
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr, "usage: floor_xmlreader [-v] [-s] FILE...\n");
        return 2;
    }
    xmlInitParser();
    long long nodes = 0;
    unsigned long long bytes = 0;
    for (int i = first; i < argc; i++) {
        int err = 0;
        zip_t *za = zip_open(argv[i], ZIP_RDONLY, &err);
        if (!za) {
            fprintf(stderr, "floor_xmlreader: %s: cannot open (libzip error %d)\n", argv[i], err);
            status = 2;
            continue;
        }
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
            long long n = (sax ? sax_part : stream_part)(za, argv[i], parts[k], &bytes);
            if (n < 0)
                status = 2;
            else
                nodes += n;
        }
        zip_close(za);
    }
    if (verbose)
        fprintf(stderr, "floor_xmlreader: %d files, %lld nodes, %llu bytes inflated\n", argc - first, nodes, bytes);
    xmlCleanupParser();
    return status;
}
