/* sechk — the checklist model and its loader.
 *
 * A template file (docs/template-format.md) describes the checklist as data:
 * items, the exact text of each answer cell with its options (boxes) and
 * free-text slots, option groups, phase scopes and rule declarations.  The
 * loader turns it into an immutable sk_template that every later stage reads.
 *
 * Ownership: sk_template_load_* return a new template; free it with
 * sk_template_free.  Nothing else in the template is to be freed by the
 * caller.  A template loaded from XML owns all of its strings and arrays (its
 * arena); the built-in one (sk_template_load_default) is a copy of the top
 * structure only, with arena NULL, pointing into static tables generated at
 * build time (tools/mktables.c), and sk_template_free frees just that copy.
 * A loaded template is read-only and may be shared between threads.
 */
#ifndef SECHK_TEMPLATE_H
#define SECHK_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"
#include "sechk/text.h"

enum {
    SK_MAX_PHASES = 8,
    SK_MAX_OPTIONS = 64, /* per cell */
    SK_MAX_SLOTS = 32,   /* per cell */
    SK_MAX_ITEMS = 999,
};

/* The two answer columns. */
typedef enum sk_party {
    SK_PROVIDER = 0,
    SK_CONTRACTOR = 1,
    SK_PARTY__COUNT
} sk_party;

/* The table's columns, in printed order. */
typedef enum sk_column {
    SK_COL_NO = 0,
    SK_COL_LIFECYCLE,
    SK_COL_REQUIREMENT,
    SK_COL_LEVEL,
    SK_COL_PROVIDER,
    SK_COL_CONTRACTOR,
    SK_COL_EVIDENCE,
    SK_COL__COUNT
} sk_column;

typedef enum sk_level { SK_LEVEL_REQUIRED = 0, SK_LEVEL_RECOMMENDED, SK_LEVEL__COUNT } sk_level;

typedef enum sk_severity {
    SK_SEV_DEFAULT = 0, /* from the item's level: error (必須) or warning (推奨) */
    SK_SEV_INFO,
    SK_SEV_WARNING,
    SK_SEV_ERROR
} sk_severity;

typedef enum sk_slot_kind {
    SK_SLOT_TEXT = 0,
    SK_SLOT_YEAR_MONTH,
    SK_SLOT_YEAR_MONTHS,
    SK_SLOT_COUNT,
    SK_SLOT_NUMBER,
    SK_SLOT_DISPOSAL,
    SK_SLOT__COUNT
} sk_slot_kind;

typedef enum sk_group_kind { SK_GROUP_EXACTLY_ONE = 0, SK_GROUP_ANY, SK_GROUP_CONFIRM } sk_group_kind;

typedef enum sk_rule_kind {
    SK_RULE_SLOT_REQUIRED = 0,
    SK_RULE_YEAR_MONTH,
    SK_RULE_COUNT,
    SK_RULE_DISPOSAL,
    SK_RULE_MIN_VALUE,
    SK_RULE_REASON,
    SK_RULE_REASON_UNCHECKED,
    SK_RULE_NOT_ONLY,
    SK_RULE_IMPLIES,
    SK_RULE_ANSWERED_FIRST,
    SK_RULE_NONCONFORMING,
    SK_RULE_ATTESTS,      /* a box that attests the whole column is answered (No.15 実施済み) */
    SK_RULE_PLANNED_LATE, /* a 予定 answer while the item's lifecycle phase is past */
    SK_RULE__COUNT
} sk_rule_kind;

typedef enum sk_timing { SK_TIMING_ANY = 0, SK_TIMING_DONE, SK_TIMING_PLANNED } sk_timing;

/* A piece of an answer cell's text. */
typedef enum sk_seg_kind {
    SK_SEG_TEXT = 0, /* fixed text */
    SK_SEG_BOX,      /* an option's marker (printed □) */
    SK_SEG_SLOT,     /* a free-text slot; text is its placeholder */
    SK_SEG_LIT       /* a marker character that is prose, not an option */
} sk_seg_kind;

typedef struct sk_segment {
    sk_seg_kind kind;
    const char *text; /* UTF-8, not NUL-terminated within the cell text */
    size_t len;
    int index; /* option index (BOX) or slot index (SLOT); -1 otherwise */
} sk_segment;

typedef struct sk_option {
    const char *id;
    const char *label;
    int group; /* index of its group in the cell, or -1 */
} sk_option;

typedef struct sk_slot {
    const char *id;
    const char *label;
    sk_slot_kind kind;
    const char *placeholder; /* may be "" */
} sk_slot;

typedef struct sk_group {
    const char *id;
    sk_group_kind kind;
    const int *options; /* option indexes within the cell */
    int n_options;
    int parent;        /* option index of the parent, or -1 */
    unsigned phases;   /* bit i set: due in phase i; 0: unscoped (the cell's default) */
    int min;           /* for SK_GROUP_ANY: options that must be checked (0: none) */
    bool optional;     /* never "unanswered" */
    sk_severity severity;
    unsigned due;      /* the phases the group is due in: phases, else the cell's due */
    const char *scope; /* the block's printed heading (【…段階で回答】), or NULL */
} sk_group;

/* A reference from a rule to a box, slot or group of one of the two cells. */
typedef struct sk_ref {
    sk_party party;
    int index; /* -1: none */
} sk_ref;

typedef struct sk_rule {
    sk_rule_kind kind;
    sk_party party; /* the cell the rule is reported on */
    sk_ref when;    /* box; index -1 when absent */
    sk_ref slot;    /* slot; index -1 when absent */
    sk_ref group;   /* group (answered-first) */
    const sk_ref *list; /* boxes: options / others / then */
    int n_list;
    const sk_ref *quote; /* slots quoted by a nonconforming rule */
    int n_quote;
    sk_ref option; /* not-only: the option that must not stand alone; implies: if */
    sk_timing timing;
    double value;
    sk_severity severity;
    const char *code;   /* stable finding code, or NULL for the kind's default */
    const char *msg_ja; /* message override, or NULL */
    const char *msg_en;
    int line; /* line in the template file */
    const sk_ref *unless; /* planned-late: boxes that make a 予定 answer fine (a 済 beside it) */
    int n_unless;
    unsigned except; /* attests: items of these lifecycle phases are not attested */
    const char *unit; /* min-value: the slot's unit (年), "" if none; conversions follow it */
} sk_rule;

/* One answer cell of an item. */
typedef struct sk_cell_def {
    bool absent;      /* "―": the party answers nothing here */
    const char *text; /* the full printed text (boxes as □) */
    size_t text_len;
    const sk_segment *segs;
    int n_segs;
    const sk_option *options;
    int n_options;
    const sk_slot *slots;
    int n_slots;
    const sk_group *groups;
    int n_groups;
    unsigned due; /* the phases its unscoped blocks are due in (column due-from, else lifecycle) */
} sk_cell_def;

#define SK_LIFECYCLE_ALL (-1)

typedef struct sk_item {
    int no;
    int lifecycle; /* phase index, or SK_LIFECYCLE_ALL */
    sk_level level;
    bool evidence;
    const char *requirement;
    sk_cell_def cells[SK_PARTY__COUNT];
    const sk_rule *rules; /* all rules of the item, cell rules included */
    int n_rules;
    int line;
} sk_item;

typedef struct sk_phase_def {
    const char *id;
    const char *label;
    const char *aliases; /* other names --phase accepts, space-separated ("" if none) */
} sk_phase_def;

typedef enum sk_doc_field { SK_DOC_CREATED = 0, SK_DOC_UPDATED, SK_DOC_SERVICE, SK_DOC__COUNT } sk_doc_field;

typedef struct sk_field_def {
    const char *label;       /* NULL if the template has no such field */
    const char *placeholder; /* "" if none */
} sk_field_def;

/* A word or phrase of the checklist in Japanese and English. */
typedef struct sk_words {
    const char *ja, *en;
} sk_words;

/* Who answers a column: 外部サービス提供者 (label) / 提供者 (short). */
typedef struct sk_party_def {
    sk_words label;
    sk_words short_label;
} sk_party_def;

/* What the review workbook asks the answerer to do about a finding code. */
typedef struct sk_action {
    const char *code;
    sk_words text;
} sk_action;

typedef struct sk_column_def {
    const char *label; /* full header text */
    const char *match; /* normalised prefix that identifies the header */
    int due_from;      /* answer columns: phase from which unscoped blocks are due; -1: the item's lifecycle */
} sk_column_def;

typedef struct sk_template {
    const char *id;
    const char *version;
    const char *title;
    const char *const *notes;
    int n_notes;
    sk_field_def fields[SK_DOC__COUNT];
    const char *instruction; /* "" if none */
    sk_phase_def phases[SK_MAX_PHASES];
    int n_phases;
    const char *level_labels[SK_LEVEL__COUNT];
    sk_column_def columns[SK_COL__COUNT];
    sk_words level_nouns[SK_LEVEL__COUNT]; /* 必須要件 / requirement ({level} in messages) */
    sk_party_def parties[SK_PARTY__COUNT]; /* without <parties>: the ids */
    sk_words project_label;                /* 事業名 / Project (the workbook's project row) */
    const sk_action *actions;              /* per finding code; NULL if none */
    int n_actions;
    const sk_item *items;
    int n_items;
    struct sk_arena *arena; /* owns everything above; NULL: the built-in tables */
    struct sk_align_prep **align; /* [n_items * SK_PARTY__COUNT]: each answer cell's side of the
                                     alignment (sk_align_prep_template), NULL for an absent cell;
                                     not in the arena: sk_template_free frees it */
} sk_template;

/* Loads a template from the file at path.  On failure returns the error,
 * leaves *out NULL and fills d with the file, line and reason. */
sk_error sk_template_load_file(const char *path, sk_template **out, sk_diag *d);

/* Loads a template from memory; name is used in diagnostics. */
sk_error sk_template_load_mem(const char *data, size_t len, const char *name, sk_template **out,
                              sk_diag *d);

/* Loads the default template compiled into the library: the static tables
 * generated from templates/default.xml at build time (no parse at start;
 * src/checklist/builtin.c).  Fails only on no memory. */
sk_error sk_template_load_default(sk_template **out, sk_diag *d);

/* Loads the default template from its XML (what the tables are made from). */
sk_error sk_template_load_default_xml(sk_template **out, sk_diag *d);

/* The default template's XML text (for `sechk template --dump` and tests). */
const char *sk_template_default_xml(size_t *len);

/* Frees a template (NULL is fine). */
void sk_template_free(sk_template *t);

/* Finds an item by number; NULL if none. */
const sk_item *sk_template_item(const sk_template *t, int no);

/* Finds a phase by id, label or alias (brackets and spaces compared after
 * normalising: 選定(調達) is 選定（調達）); returns its index or -1. */
int sk_template_phase(const sk_template *t, const char *id);

/* Parses a --phase value: "auto" gives -1, a phase's id, label or alias
 * its index.  Returns false if name is neither. */
bool sk_template_phase_parse(const sk_template *t, const char *name, int *index);

/* Writes the names --phase accepts ("selection|…|auto, 選定|…") into out,
 * cut to cap bytes. */
void sk_template_phase_names(const sk_template *t, char *out, size_t cap);

/* The template's short name of column party (提供者 / provider) in lang (0
 * ja, 1 en: an sk_lang), or the item as a whole (項目 / item) for a party
 * out of range. */
const char *sk_template_party_short(const sk_template *t, int party, int lang);

/* The template's action for finding code, in lang (0 ja, 1 en); NULL if the
 * template has none. */
const char *sk_template_action(const sk_template *t, const char *code, int lang);

/* Finds an option (box) of a cell by id; returns its index or -1. */
int sk_cell_option(const sk_cell_def *c, const char *id);

/* Finds a slot of a cell by id; returns its index or -1. */
int sk_cell_slot(const sk_cell_def *c, const char *id);

/* Names used in JSON and messages. */
const char *sk_party_name(sk_party p);      /* "provider", "contractor" */
const char *sk_level_name(sk_level l);      /* "required", "recommended" */
const char *sk_slot_kind_name(sk_slot_kind k);
const char *sk_group_kind_name(sk_group_kind k);
const char *sk_rule_kind_name(sk_rule_kind k);

#endif
