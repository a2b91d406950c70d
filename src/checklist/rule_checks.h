/* sechk — the checks of the rule kinds (private to src/checklist).
 *
 * Each gives the findings of one kind of declared rule; they are defined in
 * validate.c, next to the state they read, and named by the kinds' table in
 * rulekinds.c. */
#ifndef SECHK_RULE_CHECKS_H
#define SECHK_RULE_CHECKS_H

#include "sechk/rulekind.h"

void sk_check_slot_required(struct sk_check *c, const sk_rule *r);
void sk_check_year_month(struct sk_check *c, const sk_rule *r);
void sk_check_count(struct sk_check *c, const sk_rule *r);
void sk_check_disposal(struct sk_check *c, const sk_rule *r);
void sk_check_min_value(struct sk_check *c, const sk_rule *r);
void sk_check_reason(struct sk_check *c, const sk_rule *r);
void sk_check_reason_unchecked(struct sk_check *c, const sk_rule *r);
void sk_check_not_only(struct sk_check *c, const sk_rule *r);
void sk_check_implies(struct sk_check *c, const sk_rule *r);
void sk_check_answered_first(struct sk_check *c, const sk_rule *r);
void sk_check_nonconforming(struct sk_check *c, const sk_rule *r);
void sk_check_attests(struct sk_check *c, const sk_rule *r);
void sk_check_planned_late(struct sk_check *c, const sk_rule *r);

#endif
