/* sechk — the JSON answers contract (brief section 6): write and read.
 *
 * sk_json_write_answers writes the "sechk/answers-v1" object for one file;
 * sk_json_read_answers parses such an object (extra keys ignored) back into
 * answers for `fill`.
 *
 * Ownership: sk_json_read_answers returns new answers (sk_answers_free).
 */
#ifndef SECHK_JSON_H
#define SECHK_JSON_H

#include <jansson.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/template.h"
#include "sechk/text.h"

/* Appends the answers as a JSON object to out, laid out as jansson's
 * JSON_INDENT(2) does, as if nested depth levels deep (0 at the top; 1 for
 * an element of a top-level array: the caller writes the "[", the "," and
 * the line break before it).  No newline after the closing brace; messages
 * in lang.  SK_ERR_NOMEM on no memory (out then holds a partial text). */
sk_error sk_json_write_answers(const sk_answers *a, sk_lang lang, int depth, sk_buf *out);

/* Reads answers for template t from a parsed JSON object; errors name the
 * JSON path (e.g. "items[3].cells.provider.options[1].id"). */
sk_error sk_json_read_answers(const json_t *root, const sk_template *t, sk_answers **out, sk_diag *d);

/* Loads and reads an answers file (an object, or an array of one object). */
sk_error sk_json_load_answers(const char *path, const sk_template *t, sk_answers **out, sk_diag *d);

#endif
