/* sechk — the members of the template's structures (include/sechk/template.h)
 * that the code walking a whole template knows: the table generator
 * (tools/mktables.c) and the unit test comparing the built-in template with
 * the XML-loaded one (tests/unit/test_template.c).
 *
 * Each check compares a structure's size with that of a structure of the
 * members written here: a member added to template.h changes the size and
 * stops the build until it is added here and to both of those walkers.  (A
 * small member that fits in a structure's padding keeps the size; the
 * generator's positional initializers, compiled with -Wextra -Werror, catch
 * that one as a missing initializer.)
 */
#ifndef SECHK_TEMPLATE_LAYOUT_H
#define SECHK_TEMPLATE_LAYOUT_H

#include "sechk/template.h"

#define SK_LAYOUT(type, ...)                                                                                           \
    _Static_assert(sizeof(type) == sizeof(struct { __VA_ARGS__; }),                                                    \
                   #type " has a member that tools/mktables.c and tests/unit/test_template.c do not know")

SK_LAYOUT(sk_segment, sk_seg_kind kind; const char *text; size_t len; int index);
SK_LAYOUT(sk_option, const char *id; const char *label; int group);
SK_LAYOUT(sk_slot, const char *id; const char *label; sk_slot_kind kind; const char *placeholder);
SK_LAYOUT(sk_group, const char *id; sk_group_kind kind; const int *options; int n_options; int parent; unsigned phases;
          int min; bool optional; sk_severity severity; unsigned due; const char *scope);
SK_LAYOUT(sk_ref, sk_party party; int index);
SK_LAYOUT(sk_rule, sk_rule_kind kind; sk_party party; sk_ref when; sk_ref slot; sk_ref group; const sk_ref *list;
          int n_list; const sk_ref *quote; int n_quote; sk_ref option; sk_timing timing; double value;
          sk_severity severity; const char *code; const char *msg_ja; const char *msg_en; int line;
          const sk_ref *unless; int n_unless; unsigned except; const char *unit);
SK_LAYOUT(sk_cell_def, bool absent; const char *text; size_t text_len; const sk_segment *segs; int n_segs;
          const sk_option *options; int n_options; const sk_slot *slots; int n_slots; const sk_group *groups;
          int n_groups; unsigned due);
SK_LAYOUT(sk_item, int no; int lifecycle; sk_level level; bool evidence; const char *requirement;
          sk_cell_def cells[SK_PARTY__COUNT]; const sk_rule *rules; int n_rules; int line);
SK_LAYOUT(sk_phase_def, const char *id; const char *label; const char *aliases);
SK_LAYOUT(sk_field_def, const char *label; const char *placeholder);
SK_LAYOUT(sk_words, const char *ja; const char *en);
SK_LAYOUT(sk_party_def, sk_words label; sk_words short_label);
SK_LAYOUT(sk_action, const char *code; sk_words text);
SK_LAYOUT(sk_column_def, const char *label; const char *match; int due_from);
SK_LAYOUT(sk_template, const char *id; const char *version; const char *title; const char *const *notes; int n_notes;
          sk_field_def fields[SK_DOC__COUNT]; const char *instruction; sk_phase_def phases[SK_MAX_PHASES]; int n_phases;
          const char *level_labels[SK_LEVEL__COUNT]; sk_column_def columns[SK_COL__COUNT];
          sk_words level_nouns[SK_LEVEL__COUNT]; sk_party_def parties[SK_PARTY__COUNT]; sk_words project_label;
          const sk_action *actions; int n_actions; const sk_item *items;
          int n_items; struct sk_arena *arena; struct sk_align_prep **align);

#endif
