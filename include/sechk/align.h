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
 * outside every slot (it goes to the nearest slot and is also reported),
 * fixed template text that was deleted or changed (an alteration), and
 * markers the template does not have.
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

typedef struct sk_align_result {
    sk_box_state *state; /* [cell->n_options] */
    char **values;       /* [cell->n_slots]; "" when empty; never NULL entries */
    sk_marker *markers;  /* every marker in the actual text, in order */
    int n_markers;
    sk_alteration *alterations;
    int n_alterations;
    bool altered;        /* fixed text deleted or changed, or a marker added/removed */
    bool approximate;    /* the texts differed too much for a full diff: markers were
                            matched by order only */
} sk_align_result;

/* Aligns actual[0..len) (UTF-8) with cell's template text and fills out.
 * cell must not be absent.  Returns SK_OK, SK_ERR_NOMEM, or SK_ERR_LIMIT if
 * len exceeds 1 MiB. */
sk_error sk_align_cell(const sk_cell_def *cell, const char *actual, size_t len,
                       sk_align_result *out, sk_diag *d);

/* Frees what out holds and zeroes it (NULL is fine). */
void sk_align_result_free(sk_align_result *out);

/* Renders the cell text with the given option states and slot values, the
 * inverse of sk_align_cell: checked options print ■, others □, each slot's
 * value replaces its placeholder (an empty value keeps the placeholder).
 * states may be NULL (all unchecked), values may be NULL (placeholders).
 * Appends to out. */
sk_error sk_cell_render(const sk_cell_def *cell, const sk_box_state *states,
                        const char *const *values, struct sk_buf *out);

#endif
