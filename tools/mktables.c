/* sechk — build tool: the default template as static C tables.
 *
 *   mktables > build/gen/default_tables.c
 *
 * Loads templates/default.xml (the copy compiled into the library) with the
 * normal loader and prints every structure of the loaded sk_template as
 * `static const` initializers, ending with the one exported
 * `const sk_template sk_default_template` that sk_template_load_default
 * (src/checklist/builtin.c) hands out.  The result is ordinary read-only data
 * linked into the program: nothing is copied or relocated at start, and the
 * template's parts are referred to by name, not by address (the way SQLite's
 * tool/mkkeywordhash.c writes its keyword table).
 *
 * Nothing is left out silently:
 *  - every structure is written with positional initializers, one value per
 *    member in declaration order, and the output is compiled with -Wextra
 *    -Werror: a member added to include/sechk/template.h and not written here
 *    is a missing initializer (or a type mismatch) that stops the build;
 *  - tools/template_layout.h checks each structure's size against the members
 *    written here;
 *  - a value the generator has no spelling for (an enum value it does not
 *    know, a segment outside its cell's text, a number that does not print
 *    back exactly, a string with a NUL inside) stops it with status 1.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/rulekind.h"
#include "sechk/template.h"
#include "template_layout.h"

/* Prints a message and stops the build. */
__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mktables: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Writes the name of an array into b (NAME_MAX_LEN bytes). */
enum { NAME_MAX_LEN = 128 };
__attribute__((format(printf, 2, 3))) static void set_name(char *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, NAME_MAX_LEN, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= NAME_MAX_LEN)
        die("an array name is too long");
}

/* ---- enum names ---------------------------------------------------------- */

static const char *const party_names[] = {"SK_PROVIDER", "SK_CONTRACTOR"};
_Static_assert(sizeof party_names / sizeof *party_names == SK_PARTY__COUNT, "mktables: sk_party");
static const char *const level_names[] = {"SK_LEVEL_REQUIRED", "SK_LEVEL_RECOMMENDED"};
_Static_assert(sizeof level_names / sizeof *level_names == SK_LEVEL__COUNT, "mktables: sk_level");
static const char *const slot_kind_names[] = {"SK_SLOT_TEXT",  "SK_SLOT_YEAR_MONTH", "SK_SLOT_YEAR_MONTHS",
                                              "SK_SLOT_COUNT", "SK_SLOT_NUMBER",     "SK_SLOT_DISPOSAL"};
_Static_assert(sizeof slot_kind_names / sizeof *slot_kind_names == SK_SLOT__COUNT, "mktables: sk_slot_kind");
/* these enums have no __COUNT: a value past the list stops the generator */
static const char *const seg_kind_names[] = {"SK_SEG_TEXT", "SK_SEG_BOX", "SK_SEG_SLOT", "SK_SEG_LIT"};
static const char *const group_kind_names[] = {"SK_GROUP_EXACTLY_ONE", "SK_GROUP_ANY", "SK_GROUP_CONFIRM"};
static const char *const severity_names[] = {"SK_SEV_DEFAULT", "SK_SEV_INFO", "SK_SEV_WARNING", "SK_SEV_ERROR"};
static const char *const timing_names[] = {"SK_TIMING_ANY", "SK_TIMING_DONE", "SK_TIMING_PLANNED"};

static const char *enum_name(const char *const *names, size_t n, int v, const char *what)
{
    if (v < 0 || (size_t)v >= n)
        die("%s: value %d has no name here (a new enumerator? add it to tools/mktables.c)", what, v);
    return names[v];
}
#define ENUM(names, v) enum_name(names, sizeof names / sizeof *names, (int)(v), #names)

/* ---- output sections ----------------------------------------------------- */

/* Definitions must come before their use: strings, then int and ref arrays,
 * then the per-cell arrays, rules, items and the template. */
enum { SEC_STR, SEC_LEAF, SEC_CELL, SEC_RULE, SEC_ITEM, SEC_TOP, SEC__COUNT };

static struct {
    char *data;
    size_t len;
    FILE *f;
} sec[SEC__COUNT];

#define OUT(s) (sec[s].f)

/* ---- strings: one array each, equal strings shared ----------------------- */

typedef struct str_entry {
    const char *s;
    size_t len;
} str_entry;

static str_entry *strs;
static size_t n_strs, cap_strs;

/* Writes s[0..len) as the body of a C string literal: printable ASCII as is
 * (but " \ and ? escaped: no trigraphs), UTF-8 bytes as is, the rest octal. */
static void put_literal(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '?')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\%03o", c);
        else
            fputc(c, f);
        if (c == '\n' && i + 1 < len)
            fputs("\"\n    \"", f);
    }
    fputc('"', f);
}

/* The index of the array holding s[0..len) (added if new). */
static size_t str_index(const char *s, size_t len)
{
    if (memchr(s, '\0', len))
        die("a string of the template holds a NUL byte");
    for (size_t i = 0; i < n_strs; i++)
        if (strs[i].len == len && memcmp(strs[i].s, s, len) == 0)
            return i;
    if (n_strs == cap_strs) {
        cap_strs = cap_strs ? 2 * cap_strs : 256;
        if (!(strs = realloc(strs, cap_strs * sizeof *strs)))
            die("out of memory");
    }
    strs[n_strs] = (str_entry){s, len};
    fprintf(OUT(SEC_STR), "static const char s%zu[] = ", n_strs);
    put_literal(OUT(SEC_STR), s, len);
    fputs(";\n", OUT(SEC_STR));
    return n_strs++;
}

/* Writes a reference to the string s (NULL as NULL). */
static void put_str(FILE *f, const char *s)
{
    if (!s)
        fputs("NULL", f);
    else
        fprintf(f, "s%zu", str_index(s, strlen(s)));
}

/* ---- leaves --------------------------------------------------------------- */

static void put_double(FILE *f, double v)
{
    char b[64];
    if (!isfinite(v))
        die("a rule's value is not a finite number");
    snprintf(b, sizeof b, "%.17g", v);
    if (strtod(b, NULL) != v)
        die("a rule's value %s does not print back exactly", b);
    fprintf(f, "%s%s", b, strpbrk(b, ".e") ? "" : ".0");
}

static void put_ref(FILE *f, sk_ref r)
{
    fprintf(f, "{%s, %d}", ENUM(party_names, r.party), r.index);
}

/* Writes an array of n refs named name (a pointer, or NULL). */
static void put_ref_array(FILE *f, const char *name, const sk_ref *v, int n)
{
    if (!v) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_LEAF);
    fprintf(o, "static const sk_ref %s[] = {", name);
    for (int i = 0; i < n; i++) {
        fputs(i ? ", " : "", o);
        put_ref(o, v[i]);
    }
    fputs(n ? "};\n" : "{SK_PROVIDER, -1}}; /* none */\n", o);
    fputs(name, f);
}

/* Writes an array of n ints named name (a pointer, or NULL). */
static void put_int_array(FILE *f, const char *name, const int *v, int n)
{
    if (!v) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_LEAF);
    fprintf(o, "static const int %s[] = {", name);
    for (int i = 0; i < n; i++)
        fprintf(o, "%s%d", i ? ", " : "", v[i]);
    fputs(n ? "};\n" : "0}; /* none */\n", o);
    fputs(name, f);
}

/* ---- a cell ---------------------------------------------------------------- */

/* An array that must hold elements when it exists: the loader allocates one
 * even for zero elements, and so does the generated code (one unused). */
#define ARRAY_OPEN(o, type, name) fprintf(o, "static const " type " %s[] = {\n", name)
#define ARRAY_CLOSE(o, n, zero) fputs((n) ? "};\n" : "    " zero ", /* none */\n};\n", o)

static void put_segments(FILE *f, const char *name, const sk_cell_def *c, size_t text_id)
{
    if (!c->segs) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_CELL);
    ARRAY_OPEN(o, "sk_segment", name);
    for (int i = 0; i < c->n_segs; i++) {
        const sk_segment *g = &c->segs[i];
        /* a segment is a piece of its cell's text: written as an offset into it */
        if (!c->text || g->text < c->text || g->len > c->text_len || (size_t)(g->text - c->text) > c->text_len - g->len)
            die("a segment's text is not inside its cell's text");
        fprintf(o, "    {%s, s%zu + %zu, %zu, %d},\n", ENUM(seg_kind_names, g->kind), text_id,
                (size_t)(g->text - c->text), g->len, g->index);
    }
    ARRAY_CLOSE(o, c->n_segs, "{SK_SEG_TEXT, NULL, 0, -1}");
    fputs(name, f);
}

static void put_options(FILE *f, const char *name, const sk_cell_def *c)
{
    if (!c->options) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_CELL);
    ARRAY_OPEN(o, "sk_option", name);
    for (int i = 0; i < c->n_options; i++) {
        const sk_option *op = &c->options[i];
        fputs("    {", o);
        put_str(o, op->id);
        fputs(", ", o);
        put_str(o, op->label);
        fprintf(o, ", %d},\n", op->group);
    }
    ARRAY_CLOSE(o, c->n_options, "{NULL, NULL, -1}");
    fputs(name, f);
}

static void put_slots(FILE *f, const char *name, const sk_cell_def *c)
{
    if (!c->slots) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_CELL);
    ARRAY_OPEN(o, "sk_slot", name);
    for (int i = 0; i < c->n_slots; i++) {
        const sk_slot *s = &c->slots[i];
        fputs("    {", o);
        put_str(o, s->id);
        fputs(", ", o);
        put_str(o, s->label);
        fprintf(o, ", %s, ", ENUM(slot_kind_names, s->kind));
        put_str(o, s->placeholder);
        fputs("},\n", o);
    }
    ARRAY_CLOSE(o, c->n_slots, "{NULL, NULL, SK_SLOT_TEXT, NULL}");
    fputs(name, f);
}

static void put_groups(FILE *f, const char *name, const sk_cell_def *c)
{
    if (!c->groups) {
        fputs("NULL", f);
        return;
    }
    /* the groups' option lists go before them (SEC_LEAF) */
    char opts[NAME_MAX_LEN];
    FILE *o = OUT(SEC_CELL);
    ARRAY_OPEN(o, "sk_group", name);
    for (int i = 0; i < c->n_groups; i++) {
        const sk_group *g = &c->groups[i];
        fputs("    {", o);
        put_str(o, g->id);
        fprintf(o, ", %s, ", ENUM(group_kind_names, g->kind));
        set_name(opts, "%s_g%d_opts", name, i);
        put_int_array(o, opts, g->options, g->n_options);
        fprintf(o, ", %d, %d, 0x%xu, %d, %s, %s, 0x%xu, ", g->n_options, g->parent, g->phases, g->min,
                g->optional ? "true" : "false", ENUM(severity_names, g->severity), g->due);
        put_str(o, g->scope);
        fputs("},\n", o);
    }
    ARRAY_CLOSE(o, c->n_groups, "{NULL, SK_GROUP_EXACTLY_ONE, NULL, 0, -1, 0, 0, false, SK_SEV_DEFAULT, 0, NULL}");
    fputs(name, f);
}

/* Writes the initializer of cell c (name: the prefix of its arrays). */
static void put_cell(FILE *f, const char *name, const sk_cell_def *c)
{
    char n[NAME_MAX_LEN];
    fprintf(f, "{%s, ", c->absent ? "true" : "false");
    size_t text_id = 0;
    if (c->text) {
        if (strlen(c->text) != c->text_len)
            die("%s: the cell's text_len is not its length", name);
        text_id = str_index(c->text, c->text_len);
        fprintf(f, "s%zu, %zu, ", text_id, c->text_len);
    } else {
        fprintf(f, "NULL, %zu, ", c->text_len);
    }
    set_name(n, "%s_segs", name);
    put_segments(f, n, c, text_id);
    fprintf(f, ", %d, ", c->n_segs);
    set_name(n, "%s_options", name);
    put_options(f, n, c);
    fprintf(f, ", %d, ", c->n_options);
    set_name(n, "%s_slots", name);
    put_slots(f, n, c);
    fprintf(f, ", %d, ", c->n_slots);
    set_name(n, "%s_groups", name);
    put_groups(f, n, c);
    fprintf(f, ", %d, 0x%xu}", c->n_groups, c->due);
}

/* ---- rules and items ------------------------------------------------------- */

static void put_rules(FILE *f, const char *name, const sk_item *it)
{
    if (!it->rules) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_RULE);
    char n[NAME_MAX_LEN], prefix[NAME_MAX_LEN];
    set_name(prefix, "no%d_rule", it->no);
    ARRAY_OPEN(o, "sk_rule", name);
    for (int i = 0; i < it->n_rules; i++) {
        const sk_rule *r = &it->rules[i];
        if ((unsigned)r->kind >= SK_RULE__COUNT)
            die("rule kind %d has no entry in sk_rule_kinds", (int)r->kind);
        /* the kind by its number, named from the kinds' table (src/checklist/rulekinds.c) */
        fprintf(o, "    {(sk_rule_kind)%d /* %s */, %s, ", (int)r->kind, sk_rule_kinds[r->kind].name,
                ENUM(party_names, r->party));
        put_ref(o, r->when);
        fputs(", ", o);
        put_ref(o, r->slot);
        fputs(", ", o);
        put_ref(o, r->group);
        fputs(",\n     ", o);
        set_name(n, "%s%d_list", prefix, i);
        put_ref_array(o, n, r->list, r->n_list);
        fprintf(o, ", %d, ", r->n_list);
        set_name(n, "%s%d_quote", prefix, i);
        put_ref_array(o, n, r->quote, r->n_quote);
        fprintf(o, ", %d, ", r->n_quote);
        put_ref(o, r->option);
        fprintf(o, ", %s, ", ENUM(timing_names, r->timing));
        put_double(o, r->value);
        fprintf(o, ", %s,\n     ", ENUM(severity_names, r->severity));
        put_str(o, r->code);
        fputs(", ", o);
        put_str(o, r->msg_ja);
        fputs(", ", o);
        put_str(o, r->msg_en);
        fprintf(o, ", %d, ", r->line);
        set_name(n, "%s%d_unless", prefix, i);
        put_ref_array(o, n, r->unless, r->n_unless);
        fprintf(o, ", %d, 0x%xu, ", r->n_unless, r->except);
        put_str(o, r->unit);
        fputs("},\n", o);
    }
    ARRAY_CLOSE(o, it->n_rules,
                "{SK_RULE_SLOT_REQUIRED, SK_PROVIDER, {SK_PROVIDER, -1}, {SK_PROVIDER, -1}, {SK_PROVIDER, -1}, "
                "NULL, 0, NULL, 0, {SK_PROVIDER, -1}, SK_TIMING_ANY, 0.0, SK_SEV_DEFAULT, NULL, NULL, NULL, 0, "
                "NULL, 0, 0x0u, NULL}");
    fputs(name, f);
}

static void put_items(FILE *f, const sk_template *t)
{
    if (!t->items) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_ITEM);
    char n[NAME_MAX_LEN];
    fputs("static const sk_item items[] = {\n", o);
    for (int i = 0; i < t->n_items; i++) {
        const sk_item *it = &t->items[i];
        fprintf(o, "    /* No.%d */\n    {%d, %d, %s, %s, ", it->no, it->no, it->lifecycle,
                ENUM(level_names, it->level), it->evidence ? "true" : "false");
        put_str(o, it->requirement);
        fputs(",\n     {", o);
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            set_name(n, "no%d_%s", it->no, p == SK_PROVIDER ? "prov" : "cont");
            fputs(p ? ",\n      " : "", o);
            put_cell(o, n, &it->cells[p]);
        }
        fputs("},\n     ", o);
        set_name(n, "no%d_rules", it->no);
        put_rules(o, n, it);
        fprintf(o, ", %d, %d},\n", it->n_rules, it->line);
    }
    if (t->n_items == 0)
        die("the template has no items");
    fputs("};\n", o);
    fputs("items", f);
}

/* Writes {ja, en}. */
static void put_words(FILE *f, sk_words w)
{
    fputs("{", f);
    put_str(f, w.ja);
    fputs(", ", f);
    put_str(f, w.en);
    fputs("}", f);
}

/* Writes the per-code actions as an array, or NULL. */
static void put_actions(FILE *f, const sk_template *t)
{
    if (!t->actions) {
        fputs("NULL", f);
        return;
    }
    FILE *o = OUT(SEC_LEAF);
    fputs("static const sk_action actions[] = {\n", o);
    for (int i = 0; i < t->n_actions; i++) {
        fputs("    {", o);
        put_str(o, t->actions[i].code);
        fputs(", ", o);
        put_words(o, t->actions[i].text);
        fputs("},\n", o);
    }
    fputs(t->n_actions ? "};\n" : "    {NULL, {NULL, NULL}}}; /* none */\n", o);
    fputs("actions", f);
}

static void put_template(FILE *f, const sk_template *t)
{
    fputs("const sk_template sk_default_template = {\n    ", f);
    put_str(f, t->id);
    fputs(", ", f);
    put_str(f, t->version);
    fputs(", ", f);
    put_str(f, t->title);
    fputs(",\n    ", f);
    if (t->notes) {
        FILE *o = OUT(SEC_LEAF);
        fputs("static const char *const notes[] = {", o);
        for (int i = 0; i < t->n_notes; i++) {
            fputs(i ? ", " : "", o);
            put_str(o, t->notes[i]);
        }
        fputs(t->n_notes ? "};\n" : "NULL}; /* none */\n", o);
        fputs("notes", f);
    } else {
        fputs("NULL", f);
    }
    fprintf(f, ", %d,\n    {", t->n_notes);
    for (int k = 0; k < SK_DOC__COUNT; k++) {
        fputs(k ? ", {" : "{", f);
        put_str(f, t->fields[k].label);
        fputs(", ", f);
        put_str(f, t->fields[k].placeholder);
        fputs("}", f);
    }
    fputs("},\n    ", f);
    put_str(f, t->instruction);
    fputs(",\n    {", f);
    for (int k = 0; k < SK_MAX_PHASES; k++) {
        fputs(k ? ", {" : "{", f);
        put_str(f, t->phases[k].id);
        fputs(", ", f);
        put_str(f, t->phases[k].label);
        fputs(", ", f);
        put_str(f, t->phases[k].aliases);
        fputs("}", f);
    }
    fprintf(f, "},\n    %d,\n    {", t->n_phases);
    for (int k = 0; k < SK_LEVEL__COUNT; k++) {
        fputs(k ? ", " : "", f);
        put_str(f, t->level_labels[k]);
    }
    fputs("},\n    {", f);
    for (int k = 0; k < SK_COL__COUNT; k++) {
        fputs(k ? ", {" : "{", f);
        put_str(f, t->columns[k].label);
        fputs(", ", f);
        put_str(f, t->columns[k].match);
        fprintf(f, ", %d}", t->columns[k].due_from);
    }
    fputs("},\n    {", f);
    for (int k = 0; k < SK_LEVEL__COUNT; k++) {
        fputs(k ? ", " : "", f);
        put_words(f, t->level_nouns[k]);
    }
    fputs("},\n    {", f);
    for (int k = 0; k < SK_PARTY__COUNT; k++) {
        fputs(k ? ", {" : "{", f);
        put_words(f, t->parties[k].label);
        fputs(", ", f);
        put_words(f, t->parties[k].short_label);
        fputs("}", f);
    }
    fputs("},\n    ", f);
    put_words(f, t->project_label);
    fputs(",\n    ", f);
    put_actions(f, t);
    fprintf(f, ", %d,\n    ", t->n_actions);
    put_items(f, t);
    /* no arena: nothing to free (sk_template_free frees only the copy
     * sk_template_load_default made of this structure) */
    fprintf(f, ", %d,\n    NULL,\n    NULL,\n};\n", t->n_items); /* arena, align (built on loading) */
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: mktables > default_tables.c\n");
        return 2;
    }
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_template_load_default_xml(&t, &d) != SK_OK)
        die("%s: %s: %s", d.file, d.where, d.reason);
    for (int s = 0; s < SEC__COUNT; s++)
        if (!(sec[s].f = open_memstream(&sec[s].data, &sec[s].len)))
            die("out of memory");
    put_template(OUT(SEC_TOP), t);
    for (int s = 0; s < SEC__COUNT; s++)
        if (fclose(sec[s].f) != 0)
            die("out of memory");
    printf("/* Generated by tools/mktables.c from templates/default.xml: do not edit.\n"
           " * The built-in template as static tables (sk_template_load_default). */\n"
           "#include <stdbool.h>\n#include <stddef.h>\n\n#include \"sechk/template.h\"\n\n"
           "extern const sk_template sk_default_template;\n\n");
    for (int s = 0; s < SEC__COUNT; s++) {
        fwrite(sec[s].data, 1, sec[s].len, stdout);
        fputc('\n', stdout);
        free(sec[s].data);
    }
    free(strs);
    sk_template_free(t);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("cannot write the output");
    return 0;
}
