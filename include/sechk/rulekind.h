/* sechk — the rule kinds and their outcomes: one table entry per kind.
 *
 * A kind of declared rule (docs/template-format.md, "Rules") is one entry of
 * sk_rule_kinds: its name in the template, the attributes a declaration must
 * carry, the attributes its docs/rules.md row restates, the outcomes it can
 * give and the check that gives them.  The template loader, the validator,
 * docs/rules.md and the review workbook all read this one table, so adding
 * a kind means adding one entry (and its check) and nothing else.
 *
 * An outcome (sk_outcome_defs) is one finding a group, rule or the reader
 * can give: its stable code, its class (what it says about the item, from
 * which the item's status is derived), its default messages and the default
 * action the review workbook asks of the answerer.  Nothing here is wording
 * of a particular checklist: labels, ranges, units and per-code actions come
 * from the template.
 *
 * Everything here is static const data; nothing is allocated.
 */
#ifndef SECHK_RULEKIND_H
#define SECHK_RULEKIND_H

#include "sechk/answers.h"
#include "sechk/template.h"

/* The outcomes: every finding the validator can give. */
typedef enum sk_outcome_id {
    SK_OC_UNANSWERED = 0,
    SK_OC_PARENT_ONE,
    SK_OC_PARENT_MIN,
    SK_OC_CONFLICT,
    SK_OC_CHILD,
    SK_OC_UNCONFIRMED,
    SK_OC_TOO_FEW,
    SK_OC_SLOT_EMPTY,
    SK_OC_SLOT_EMPTY_ANY,
    SK_OC_YM_MISSING,
    SK_OC_YM_MISSING_ANY,
    SK_OC_YM_PLACEHOLDER,
    SK_OC_YM_INVALID,
    SK_OC_YM_AFTER,
    SK_OC_YM_PAST,
    SK_OC_COUNT,
    SK_OC_DISPOSAL,
    SK_OC_VALUE_LOW,
    SK_OC_VALUE_INVALID,
    SK_OC_REASON_MISSING,
    SK_OC_REASON_REVIEW,
    SK_OC_REQ_UNCHECKED,
    SK_OC_REQ_REASON,
    SK_OC_ONLY,
    SK_OC_IMPLIED,
    SK_OC_ANSWERED_FIRST,
    SK_OC_NONCONF,
    SK_OC_ATTEST,
    SK_OC_PLANNED_LATE,
    SK_OC_ITEM_MISSING,
    SK_OC_MARKER_MISSING,
    SK_OC_MARKER_EXTRA,
    SK_OC_TEXT_CHANGED,
    SK_OC_TEXT_DELETED,
    SK_OC_TEXT_APPROX,
    SK_OC__COUNT
} sk_outcome_id;

/* One outcome.  Messages hold placeholders ({label}, {slot}, … listed in
 * src/checklist/validate.c); a rule's own code and messages replace them. */
typedef struct sk_outcome_def {
    const char *code;
    sk_outcome_class cls;
    const char *ja, *en;
    const char *action_ja, *action_en; /* the review's request, or NULL: the template's, else by severity */
} sk_outcome_def;

extern const sk_outcome_def sk_outcome_defs[SK_OC__COUNT];

/* The attributes of a rule declaration. */
typedef enum sk_rule_attr {
    SK_RA_NONE = 0, /* ends a list */
    SK_RA_WHEN,
    SK_RA_SLOT,
    SK_RA_GROUP,
    SK_RA_OPTION, /* the single box: named by the kind's option_attr */
    SK_RA_LIST,   /* the boxes: named by the kind's list_attr */
    SK_RA_QUOTE,
    SK_RA_UNLESS,
    SK_RA_EXCEPT,
    SK_RA_TIMING,
    SK_RA_VALUE, /* the number: named by the kind's value_attr */
    SK_RA__COUNT
} sk_rule_attr;

#define SK_RA_BIT(a) (1u << (a))

/* When an outcome of a kind can occur, as far as the declaration tells. */
typedef enum sk_outcome_if {
    SK_IF_ALWAYS = 0,
    SK_IF_WHEN,    /* the rule has a when box */
    SK_IF_NO_WHEN, /* it has none */
    SK_IF_DONE,    /* timing="done" */
    SK_IF_PLANNED  /* timing="planned" */
} sk_outcome_if;

enum { SK_KIND_MAX_DOC = 4, SK_KIND_MAX_OUTCOMES = 6 };

/* The validator's state while it checks one rule (src/checklist/validate.c). */
struct sk_check;

typedef struct sk_rule_kind_def {
    const char *name;                  /* the kind attribute's value */
    const char *option_attr;           /* the name of SK_RA_OPTION ("option", "if"), or NULL */
    const char *list_attr;             /* the name of SK_RA_LIST in docs/rules.md ("options", …), or NULL */
    const char *value_attr;            /* the name of SK_RA_VALUE ("value", "max"), or NULL */
    unsigned required;                 /* SK_RA_BIT()s a declaration must carry */
    sk_rule_attr doc[SK_KIND_MAX_DOC]; /* restated in docs/rules.md, in order (SK_RA_NONE ends) */
    struct {
        sk_outcome_id id;
        sk_outcome_if cond;
    } outcomes[SK_KIND_MAX_OUTCOMES];
    int n_outcomes;
    void (*check)(struct sk_check *c, const sk_rule *r); /* gives the findings */
} sk_rule_kind_def;

extern const sk_rule_kind_def sk_rule_kinds[SK_RULE__COUNT];

/* The generic action the review workbook asks for finding code in lang (0
 * ja, 1 en), or NULL if its outcome has none (the template's <actions> come
 * first: sk_template_action). */
const char *sk_outcome_action(const char *code, int lang);

/* The kind named name; returns its index, or -1 if there is none. */
int sk_rule_kind_lookup(const char *name);

#endif
