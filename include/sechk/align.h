/* sechk — aligning an answer cell's text with the template's text.
 *
 * A filled cell is the template cell's text with some □ turned into ■ (or
 * another marker of brief section 3), typed text in the slots, and often more
 * changes: spaces and line breaks added or removed, markers retyped ("■ 適合"),
 * text inserted in odd places, fixed text deleted or reworded.
 *
 * sk_align_cell compares the two as sequences of code points with white space
 * ignored, markers of either state equal to a template box, full-width ASCII
 * folded (a character diff, Myers O(ND) with a bounded edit distance).  From
 * the alignment it reads: each option's state (the marker aligned with its
 * box), each slot's value (the actual text between the fixed text around the
 * slot, trimmed, "" if it is only the placeholder), inserted text that lies
 * outside every slot (it goes to the nearest free-text slot and is also
 * reported in insertions), fixed template text that was deleted or changed
 * (an alteration), and markers the template does not have.
 *
 * Ownership: the result owns its strings and arrays; free it with
 * sk_align_result_free.
 */
#ifndef SECHK_ALIGN_H
#define SECHK_ALIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "sechk/error.h"
#include "sechk/template.h"
#include "sechk/text.h"

typedef enum sk_box_state {
    SK_BOX_MISSING = 0, /* no marker in the text lines up with this option */
    SK_BOX_UNCHECKED,
    SK_BOX_CHECKED
} sk_box_state;

/* One marker found in the actual text, in text order. */
typedef struct sk_marker {
    int option;        /* option index, or -1 for a marker the template does not have */
    bool checked;
    size_t offset;     /* byte offset in the actual text */
} sk_marker;

/* Fixed template text that the answerer deleted or replaced. */
typedef struct sk_alteration {
    char *original;    /* the template's text (NUL-terminated) */
    char *replacement; /* what stands there instead ("" if deleted) */
} sk_alteration;

/* Text typed outside every slot (and not in place of deleted fixed text).
 * It is not an alteration: it is appended to the nearest slot's value
 * (free-text slots first), after a space, and listed here for review.
 * Punctuation alone (a stray "・" or "。") is listed but given to no slot. */
typedef struct sk_insertion {
    int slot;      /* the slot whose value received it, or -1 (punctuation alone,
                      or the cell has no slot) */
    size_t offset; /* byte offset in the actual text */
    char *text;    /* the inserted text, trimmed (NUL-terminated) */
} sk_insertion;

typedef struct sk_align_result {
    sk_box_state *state; /* [cell->n_options] */
    char **values;       /* [cell->n_slots]; "" when empty; never NULL entries */
    int n_values;        /* cell->n_slots (what sk_align_result_free releases) */
    sk_marker *markers;  /* every marker in the actual text, in order, except one
                            standing on a prose <lit> □ (that is text, not an answer) */
    int n_markers;
    sk_alteration *alterations;
    int n_alterations;
    sk_insertion *insertions; /* text typed outside every slot, in text order */
    int n_insertions;
    bool altered;        /* fixed text deleted or changed, or a marker added/removed */
    bool approximate;    /* the texts differed too much for a full diff: markers were
                            matched by order only; alterations and insertions are
                            not reported, and only a slot at the very end of the
                            cell (備考：) gets a value, the text after the last
                            occurrence of its label */
} sk_align_result;

/* Aligns actual[0..len) (UTF-8) with cell's template text and fills out
 * (whatever out held before is not freed).  A slot's value is the text in its
 * region with the placeholder removed: "" when the value is only the
 * placeholder, and a placeholder of two symbols or more left at the start or
 * end of the value is cut off ("①②　番号を記載" gives "①②").  CR and LF
 * are white space; a literal "_x000D_" is text (actual is the decoded cell
 * text: the workbook reader has already turned Excel's _x000D_ escape into a
 * CR).  cell must not be absent.  The length of a cell's text is the
 * caller's limit (--max-string-bytes, applied by the workbook reader); the
 * aligner takes any up to 1 GiB, the most its offsets hold.  Returns SK_OK,
 * SK_ERR_NOMEM, SK_ERR_LIMIT if len exceeds 1 GiB, or SK_ERR_USAGE for an
 * absent cell or a NULL argument; on failure out is left empty (zeroed). */
sk_error sk_align_cell(const sk_cell_def *cell, const char *actual, size_t len,
                       sk_align_result *out, sk_diag *d);

/* A template cell's side of the alignment (its symbol sequence, blank text
 * and slot occurrences, with and without the placeholders), which is the
 * same for every answer: built once per template cell, on the first
 * alignment that needs it (published atomically: threads may share a prep,
 * and a forked worker inherits what was built before the fork).
 * sk_align_prep_new returns SK_OK and a new prep for cell in *out (cell must
 * outlive it; free it with sk_align_prep_free), SK_ERR_NOMEM, or
 * SK_ERR_USAGE for a NULL cell. */
typedef struct sk_align_prep sk_align_prep;
sk_error sk_align_prep_new(const sk_cell_def *cell, sk_align_prep **out);
void sk_align_prep_free(sk_align_prep *p);

/* sk_align_cell with the template side prepared by sk_align_prep_new from the
 * same cell (prep NULL: built for this call, as sk_align_cell does).  The
 * results are the same either way.  prep is filled in, never otherwise
 * changed. */
sk_error sk_align_cell_prep(const sk_cell_def *cell, sk_align_prep *prep, const char *actual, size_t len,
                            sk_align_result *out, sk_diag *d);

/* Prepares every answer cell of t (t->align), so that each is built once per
 * template, not once per answer; sk_template_load_* call it.  Returns SK_OK
 * or SK_ERR_NOMEM (t->align left NULL: sk_align_cell_prep then builds each
 * side per call).  sk_align_prep_template_free releases them (t may be NULL). */
sk_error sk_align_prep_template(sk_template *t);
void sk_align_prep_template_free(sk_template *t);

/* The prepared side of item index item's cell of party (0-based, as in
 * t->items and t->items[item].cells), or NULL if there is none. */
sk_align_prep *sk_align_prep_of(const sk_template *t, int item, int party);

/* Frees what out holds and zeroes it (NULL is fine). */
void sk_align_result_free(sk_align_result *out);

/* Renders the cell text with the given option states and slot values, the
 * inverse of sk_align_cell: checked options print ■, others □, each slot's
 * value replaces its placeholder (an empty value keeps the placeholder).
 * states may be NULL (all unchecked), values may be NULL (placeholders).
 * Appends to out; on failure out is left as it was.  Returns SK_OK,
 * SK_ERR_NOMEM, or SK_ERR_USAGE for a NULL argument.
 * Round trip: aligning the rendered text gives back the states and values,
 * except for values that are the caller's problem: a value holding a marker
 * character (it reads back as an extra marker), one equal to or starting or
 * ending with its placeholder, one repeating the fixed text around its slot,
 * and values of two slots with no fixed text between them. */
sk_error sk_cell_render(const sk_cell_def *cell, const sk_box_state *states,
                        const char *const *values, sk_buf *out);

#endif
