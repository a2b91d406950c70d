/* sechk — comparing a resubmission with the previous round.
 *
 * Two validated sk_answers (OLD and NEW) are compared through the answers
 * model, never by worksheet position: items are matched by No., cells by
 * column (provider/contractor), options by id and slots by id, so inserted
 * rows, a moved table or a re-rendered review copy do not matter.  When OLD
 * and NEW were read with different templates only what both define is
 * compared.
 *
 * The result lists the changes (options checked/unchecked, slot values,
 * alterations of the template text, item status), marks those that need the
 * prefecture's approval (乖離: any change of the provider column; a
 * contractor answer going from 済 back to 予定 or to 対象外), and sorts every
 * finding into 解消 (resolved: in OLD only), 継続 (open: in both) or 新規
 * (new: in NEW only), matched by item, column and code.  A finding can carry
 * the vendor's reply, read from the 回答者コメント column of a returned
 * review workbook (sk_replies_read).
 *
 * Ownership: sk_diff_compute returns a new diff that points into both answers
 * and replies (they must outlive it); free it with sk_diff_free.
 */
#ifndef SECHK_DIFF_H
#define SECHK_DIFF_H

#include <stdbool.h>

#include "sechk/answers.h"
#include "sechk/book.h"
#include "sechk/error.h"
#include "sechk/limits.h"
#include "sechk/text.h"

/* ---- replies: the 回答者コメント column of a returned review workbook ---- */

typedef struct sk_reply {
    int no;     /* item number */
    int party;  /* sk_party, or -1 for the item as a whole */
    char *code; /* finding code */
    char *text; /* the reply, trimmed, never "" */
} sk_reply;

typedef struct sk_replies {
    sk_reply *v;
    int n;
    bool review; /* the workbook is a review copy written by sechk (it has the findings sheet) */
} sk_replies;

/* Most replies read from one workbook. */
enum { SK_MAX_REPLIES = 20000 };

/* Reads the findings sheet (指摘事項 / Findings) of a review workbook written
 * by sechk: its header row by the labels No., 回答欄, コード, 回答者コメント
 * (or their English forms), then one reply per row whose comment is not
 * empty.  A workbook without such a sheet gives an empty list (review false).
 * *out receives a new list (sk_replies_free). */
sk_error sk_replies_read(sk_book *b, sk_replies **out, sk_diag *d);

void sk_replies_free(sk_replies *r);

/* The reply to finding (no, party, code); NULL if none. */
const char *sk_replies_find(const sk_replies *r, int no, int party, const char *code);

/* ---- the comparison ---- */

typedef enum sk_change_kind {
    SK_CHANGE_OPTION = 0, /* an option checked or unchecked */
    SK_CHANGE_FIELD,      /* a slot's value */
    SK_CHANGE_TEXT,       /* the alterations of the template text */
    SK_CHANGE_STATUS,     /* the item's status (party -1) */
    SK_CHANGE__COUNT
} sk_change_kind;

typedef struct sk_change {
    int no;
    int item_old, item_new; /* indexes into old->items and new->items */
    int party;              /* sk_party, or -1 for the item */
    sk_change_kind kind;
    const char *id;                     /* option or slot id; status: "status"; text: "text" */
    const char *label;                  /* option or slot label (template text), or "" */
    bool checked_before, checked_after; /* options */
    char *before, *after;               /* fields and text: the values; status: status names */
    bool divergence;                    /* 乖離: needs the prefecture's approval */
} sk_change;

typedef enum sk_finding_state {
    SK_FINDING_RESOLVED = 0,
    SK_FINDING_OPEN,
    SK_FINDING_NEW,
    SK_FINDING__COUNT
} sk_finding_state;

typedef struct sk_diff_finding {
    int no;
    int party; /* sk_party, or -1 */
    const char *code;
    sk_finding_state state;
    sk_severity severity;
    const char *message_ja, *message_en; /* NEW's (resolved: OLD's) */
    const char *reply;                   /* the vendor's reply, or NULL */
    int item_new;                        /* index into new->items, or -1 */
    int finding_new;                     /* index into that item's findings; -1 when resolved */
} sk_diff_finding;

/* Warnings about the pair as a whole (not about one answer). */
typedef struct sk_diff_note {
    const char *code; /* "updated-not-later", "updated-missing", "template-differs" */
    char *message_ja, *message_en;
} sk_diff_note;

typedef struct sk_diff {
    const sk_answers *old, *nw;
    sk_change *changes;
    int n_changes, cap_changes;
    sk_diff_finding *findings; /* sorted by item, column, state */
    int n_findings, cap_findings;
    sk_diff_note notes[4];
    int n_notes;
    int counts[SK_FINDING__COUNT];
    int n_divergences;
    int n_items_changed; /* items with at least one answer change (status alone not counted) */
    const char *project[2]; /* 事業名 of OLD and NEW (from the sides), or NULL */
} sk_diff;

/* Which template each side was read with (for the notes; NULL: the answers'
 * own template).  JSON answers name theirs. */
typedef struct sk_diff_sides {
    const char *old_template_id, *old_template_version;
    const char *new_template_id, *new_template_version;
    const sk_replies *old_replies, *new_replies; /* may be NULL */
    const char *old_project, *new_project;       /* 事業名 of the header block, or NULL */
} sk_diff_sides;

/* Compares validated answers old and nw.  *out receives the new diff. */
sk_error sk_diff_compute(const sk_answers *old, const sk_answers *nw, const sk_diff_sides *sides, sk_diff **out,
                         sk_diag *d);

void sk_diff_free(sk_diff *df);

/* True if the answers differ or any finding was resolved or is new. */
bool sk_diff_changed(const sk_diff *df);

/* The provider-column warning of a divergence. */
const char *sk_diff_divergence_message(int party, sk_lang lang);

/* Names: "option", "field", "text", "status"; "resolved", "open", "new";
 * Japanese labels 解消, 継続, 新規. */
const char *sk_change_kind_name(sk_change_kind k);
const char *sk_finding_state_name(sk_finding_state s);
const char *sk_finding_state_label(sk_finding_state s, sk_lang lang);

/* Appends the "sechk/diff-v1" JSON object (docs/diff-format.md). */
sk_error sk_diff_json(const sk_diff *df, const sk_diff_sides *sides, sk_lang lang, sk_buf *out);

/* Appends the text report for people. */
sk_error sk_diff_text(const sk_diff *df, sk_lang lang, sk_buf *out);

/* One line describing a change ("「適合」 □ → ■", "「備考」: 「a」 → 「b」"). */
sk_error sk_change_describe(const sk_change *c, sk_lang lang, sk_buf *out);

/* ---- loading one side ---- */

/* One side of a comparison, as read from a file. */
typedef struct sk_diff_input {
    sk_answers *a;       /* validated answers */
    sk_replies *replies; /* replies of a returned review workbook (empty list otherwise) */
    char *template_id;   /* as an answers JSON names its template, or NULL */
    char *template_version;
    bool json; /* read from an answers JSON */
    char *project; /* 事業名 of the header block ("" if none; an answers JSON's document.project) */
} sk_diff_input;

/* Largest answers JSON accepted (as `fill`). */
enum { SK_DIFF_MAX_JSON_BYTES = 64 * 1024 * 1024 };

/* Reads path: an answers JSON (sechk/answers-v1; its first non-blank byte is
 * '{' or '[') or a workbook (a submission, or a review copy written by sechk,
 * whose 回答者コメント are read too, and the 事業名 of the header block),
 * opened and read as xo says (sechk/extract.h: the sheet, the password of an
 * encrypted workbook, --convert; NULL for the defaults; xo->project is not
 * used: in->project is always read), then validates the answers in phase (an
 * index, or -1 for auto).  On failure in is left empty and d names the file.
 * Free with sk_diff_input_clear. */
struct sk_extract_opts;
sk_error sk_diff_input_load(const char *path, const sk_template *t, const sk_limits *limits,
                            const struct sk_extract_opts *xo, int phase, sk_diff_input *in, sk_diag *d);

void sk_diff_input_clear(sk_diff_input *in);

/* Reads 事業名 from the header block of the opened workbook b whose answers
 * a were extracted (as sk_diff_input_load does; sk_extract_opts.project
 * asks sk_extract_file_opts for it).  *out receives a new string ("" when
 * there is none); free with free(). */
sk_error sk_project_read_book(sk_book *b, const sk_answers *a, char **out, sk_diag *d);

#endif
