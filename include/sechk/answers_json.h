/* sechk — reading the JSON answers contract (brief section 6) back into
 * answers: `sechk fill`, and a previous round given as JSON (`sechk diff`).
 * The writer is src/output/json.c (sechk/json.h).
 *
 * Ownership: both functions return new answers (sk_answers_free).
 */
#ifndef SECHK_ANSWERS_JSON_H
#define SECHK_ANSWERS_JSON_H

#include <jansson.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/template.h"

/* Reads answers for template t from a parsed "sechk/answers-v1" object
 * (extra keys ignored); errors name the JSON path (e.g.
 * "items[3].cells.provider.options[1].id"). */
sk_error sk_json_read_answers(const json_t *root, const sk_template *t, sk_answers **out, sk_diag *d);

/* Loads and reads an answers file (an object, or an array of one object). */
sk_error sk_json_load_answers(const char *path, const sk_template *t, sk_answers **out, sk_diag *d);

#endif
