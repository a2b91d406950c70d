/* sechk — private: streaming XML over a bounded zip entry.
 *
 * A pull interface over a scanner for the plain subset of XML, which takes
 * a whole part of up to 1 MiB at the first sk_xml_next, and libxml2's SAX2
 * push parser for every other part (xml.c queues the events of each chunk),
 * with the same events and the same errors: only XML_PARSE_NONET, an
 * external entity loader that refuses everything, no DTD loading, no entity
 * substitution; a DOCTYPE or an entity reference is an error.  libxml2's
 * messages are captured (never printed) and end up in the diagnostic.
 *
 * Element names are local names, so "x:c" and "c" are the same element.
 * Empty elements (<c/>) are reported as a start followed by an end.  The
 * characters of one text may come as several SK_XML_TEXT events (a chunk
 * ends inside it); comments and processing instructions are not reported.
 *
 * Ownership: sk_xml_open returns a reader to close with sk_xml_close; it
 * owns its zip stream.  Strings returned by the accessors are valid until
 * the next call on the same reader.
 */
#ifndef SECHK_READ_XML_H
#define SECHK_READ_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "sechk/error.h"
#include "zip.h"

typedef struct sk_xml sk_xml;

typedef enum sk_xml_event {
    SK_XML_EOF = 0,
    SK_XML_START, /* an element starts: name, depth and attributes are available */
    SK_XML_END,   /* an element ends: name and depth are available */
    SK_XML_TEXT,  /* character data (text, CDATA or white space) */
    SK_XML_OTHER  /* (not produced: comments and processing instructions are skipped) */
} sk_xml_event;

/* Opens a reader over zip entry i; part names the entry in messages. */
sk_error sk_xml_open(sk_zip *z, size_t i, const char *part, sk_xml **out, sk_diag *d);

/* Closes the reader and its stream (NULL is fine). */
void sk_xml_close(sk_xml *x);

/* Moves to the next node and reports what it is in *ev (SK_XML_EOF at the
 * end).  Fails with SK_ERR_XML for malformed or refused XML, or with the
 * stream's error (a limit, a damaged entry). */
sk_error sk_xml_next(sk_xml *x, sk_xml_event *ev, sk_diag *d);

/* Moves to the next start element, skipping the other nodes; *found is
 * false at the end of the part.  Fails as sk_xml_next does. */
sk_error sk_xml_next_start(sk_xml *x, bool *found, sk_diag *d);

/* Local name of the current element (start or end). */
const char *sk_xml_name(sk_xml *x);

/* Nesting depth of the current node (the root element is 0). */
int sk_xml_depth(sk_xml *x);

/* True if the current element has the given local name. */
bool sk_xml_is(sk_xml *x, const char *local);

/* Value of the current start element's attribute with local name local
 * (namespace declarations are not attributes here), or NULL. */
const char *sk_xml_attr(sk_xml *x, const char *local);

/* The current text node's characters (len may be NULL). */
const char *sk_xml_text(sk_xml *x, size_t *len);

/* Skips the rest of the element whose start was just reported, up to and
 * including its end. */
sk_error sk_xml_skip(sk_xml *x, sk_diag *d);

#endif
