/* sechk — the JSON answers contract (brief section 6): write and read.
 *
 * sk_json_write_answers writes the "sechk/answers-v1" object for one file;
 * sechk/answers_json.h (src/checklist) reads such an object back.
 */
#ifndef SECHK_JSON_H
#define SECHK_JSON_H

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

/* Appends s as a JSON string, quoted and escaped as jansson does: '"', '\\'
 * and the control characters (\b \f \n \r \t, else \u00XX); every other
 * byte as it is (the caller has checked the UTF-8).  SK_ERR_NOMEM on no
 * memory (out then holds a partial text). */
sk_error sk_json_put_string(sk_buf *out, const char *s);

#endif
