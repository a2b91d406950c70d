/* sechk — private to the XML reader (xml.c, xml_fast.c) and its tests.
 *
 * The event queue both parsers fill, the fast scanner that fills it for a
 * whole part held in memory, and a reader over bytes in memory with a mode
 * that tests use to compare the two paths (tests/unit/test_xmlfast.c).
 *
 * Ownership: the queue owns its arrays (sk_xml_queue_free); names of events
 * filled by the fast scanner point into the queue's bytes.
 */
#ifndef SECHK_READ_XML_IMPL_H
#define SECHK_READ_XML_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "xml.h"

/* One event waiting to be read: the SAX2 callbacks of a chunk queue them,
 * or the fast scanner those of a whole part; sk_xml_next hands them out. */
typedef struct xml_ev {
    sk_xml_event type;
    int depth;
    const char *name;  /* local name: the parser's dictionary, or bytes */
    size_t name_off;   /* fast scanner: the name's offset into bytes */
    size_t attr_first; /* index into attr */
    size_t n_attrs;
    size_t text_off; /* text: offset into bytes, NUL-terminated */
    size_t text_len;
} xml_ev;

/* One attribute of a queued start: local name and value (offset into bytes). */
typedef struct xml_attr {
    const char *local;
    size_t local_off; /* fast scanner: the name's offset into bytes */
    size_t val_off;
} xml_attr;

/* The queue: events, their attributes, and the bytes of names, values and
 * texts (each NUL-terminated). */
typedef struct xml_queue {
    xml_ev *ev;
    size_t n_ev, cap_ev;
    xml_attr *attr;
    size_t n_attrs, cap_attrs;
    char *bytes;
    size_t n_bytes, cap_bytes;
} xml_queue;

/* The largest part read into memory and scanned by the fast scanner; a
 * bigger part is streamed through libxml2.  The queue of a whole part takes
 * up to about 30 times its size (a part of "<a/>" only), so it stays within
 * about 30 MiB; the parts of a checklist are tens of kilobytes. */
#define SK_XML_FAST_CAP (1u << 20)

/* Makes room for need elements of size bytes in the array *arr of *cap;
 * false on no memory. */
bool sk_xml_grow(void *arr, size_t *cap, size_t need, size_t size);

/* Scans the whole part buf[0..len) and fills q (emptied first) with all its
 * events, exactly those libxml2's SAX2 parser gives through xml.c (one text
 * event per text node).  Returns false, with q emptied, for anything outside
 * the subset of XML it accepts (docs/security.md lists it), for malformed
 * XML and on no memory: the caller then hands the part to libxml2. */
bool sk_xml_fast_scan(const char *buf, size_t len, xml_queue *q);

/* Frees the queue's arrays. */
void sk_xml_queue_free(xml_queue *q);

/* How a reader over memory parses: as sk_xml_open does (the fast scanner,
 * else libxml2), or with libxml2 only. */
typedef enum sk_xml_mode { SK_XML_MODE_AUTO, SK_XML_MODE_LIBXML2 } sk_xml_mode;

/* Opens a reader over a copy of data[0..len), named part in messages. */
sk_error sk_xml_open_mem(const void *data, size_t len, const char *part, sk_xml_mode mode, sk_xml **out, sk_diag *d);

/* True once the fast scanner gave the reader's events. */
bool sk_xml_used_fast(const sk_xml *x);

/* The current start element's attributes in order: their number, and the
 * local name of the k-th with its value in *value. */
size_t sk_xml_attr_count(sk_xml *x);
const char *sk_xml_attr_at(sk_xml *x, size_t k, const char **value);

#endif
