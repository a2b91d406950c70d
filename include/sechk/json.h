/* sechk — the JSON answers contract (brief section 6): write and read.
 *
 * sk_json_answers builds the "sechk/answers-v1" object for one file;
 * sk_json_read_answers parses such an object (extra keys ignored) back into
 * answers for `fill`.
 *
 * Ownership: sk_json_answers returns a new jansson reference (json_decref);
 * sk_json_read_answers returns new answers (sk_answers_free).
 */
#ifndef SECHK_JSON_H
#define SECHK_JSON_H

#include <jansson.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/template.h"

/* The answers as a JSON object; messages in lang. NULL on no memory. */
json_t *sk_json_answers(const sk_answers *a, sk_lang lang);

/* Serialises value (indent 2, UTF-8, keys in insertion order) followed by a
 * newline into a new string (free with free()). NULL on no memory. */
char *sk_json_dump(const json_t *value);

/* Reads answers for template t from a parsed JSON object; errors name the
 * JSON path (e.g. "items[3].cells.provider.options[1].id"). */
sk_error sk_json_read_answers(const json_t *root, const sk_template *t, sk_answers **out, sk_diag *d);

/* Loads and reads an answers file (an object, or an array of one object). */
sk_error sk_json_load_answers(const char *path, const sk_template *t, sk_answers **out, sk_diag *d);

#endif
