/* sechk — the answers model: allocation, findings, names. */
#include "sechk/answers.h"

#include <stdlib.h>
#include <string.h>

#include "sechk/text.h"

static const char *const status_names[] = {
    [SK_STATUS_OK] = "ok",           [SK_STATUS_NONCONFORMING] = "nonconforming",
    [SK_STATUS_DEFICIENT] = "deficient", [SK_STATUS_REVIEW] = "review",
    [SK_STATUS_UNANSWERED] = "unanswered", [SK_STATUS_NOT_DUE] = "not-due",
};
_Static_assert(sizeof status_names / sizeof *status_names == SK_STATUS__COUNT, "status names");

static const char *const status_labels_ja[] = {
    [SK_STATUS_OK] = "適合",         [SK_STATUS_NONCONFORMING] = "不適合", [SK_STATUS_DEFICIENT] = "不備",
    [SK_STATUS_REVIEW] = "要確認",   [SK_STATUS_UNANSWERED] = "未回答",   [SK_STATUS_NOT_DUE] = "対象外",
};
_Static_assert(sizeof status_labels_ja / sizeof *status_labels_ja == SK_STATUS__COUNT, "status labels");

static const char *const status_labels_en[] = {
    [SK_STATUS_OK] = "conforming",  [SK_STATUS_NONCONFORMING] = "non-conforming",
    [SK_STATUS_DEFICIENT] = "deficient", [SK_STATUS_REVIEW] = "to review",
    [SK_STATUS_UNANSWERED] = "unanswered", [SK_STATUS_NOT_DUE] = "not due",
};
_Static_assert(sizeof status_labels_en / sizeof *status_labels_en == SK_STATUS__COUNT, "status labels");

const char *sk_status_name(sk_status s)
{
    return (unsigned)s < SK_STATUS__COUNT ? status_names[s] : "?";
}

const char *sk_status_label(sk_status s, sk_lang lang)
{
    if ((unsigned)s >= SK_STATUS__COUNT)
        return "?";
    return lang == SK_LANG_EN ? status_labels_en[s] : status_labels_ja[s];
}

const char *sk_severity_name(sk_severity s)
{
    return s == SK_SEV_ERROR ? "error" : s == SK_SEV_WARNING ? "warning" : "info";
}

const char *sk_severity_label(sk_severity s, sk_lang lang)
{
    if (lang == SK_LANG_EN)
        return sk_severity_name(s);
    return s == SK_SEV_ERROR ? "エラー" : s == SK_SEV_WARNING ? "警告" : "情報";
}

sk_verdict sk_verdict_of(int errors, int warnings)
{
    return errors ? SK_VERDICT_CORRECT : warnings ? SK_VERDICT_REVIEW : SK_VERDICT_OK;
}

const char *sk_verdict_label(sk_verdict v, sk_lang lang)
{
    static const char *const ja[] = {"要修正", "要確認", "問題なし"}, *const en[] = {"needs correction", "to review", "ok"};
    return (lang == SK_LANG_EN ? en : ja)[v];
}

void sk_tally_finding(sk_tally *t, sk_severity s)
{
    t->errors += s == SK_SEV_ERROR;
    t->warnings += s == SK_SEV_WARNING;
    t->infos += s != SK_SEV_ERROR && s != SK_SEV_WARNING;
    t->verdict = sk_verdict_of(t->errors, t->warnings);
}

void sk_item_tally(const sk_item_answers *ia, sk_tally *t)
{
    if (ia->status < SK_STATUS__COUNT)
        t->counts[ia->status]++;
    for (int f = 0; f < ia->n_findings; f++)
        sk_tally_finding(t, ia->findings[f].severity);
    t->verdict = sk_verdict_of(t->errors, t->warnings);
}

void sk_answers_tally(const sk_answers *a, sk_tally *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < a->n_items; i++)
        sk_item_tally(&a->items[i], t);
    t->verdict = sk_verdict_of(t->errors, t->warnings);
}

/* Allocates the option/slot arrays of one cell's alignment result (if
 * blank: else the caller fills them). */
static sk_error cell_init(sk_cell_answers *ca, const sk_cell_def *def, bool blank)
{
    ca->present = !def->absent;
    if (def->absent || !blank)
        return SK_OK;
    ca->r.state = calloc((size_t)(def->n_options ? def->n_options : 1), sizeof *ca->r.state);
    ca->r.values = calloc((size_t)(def->n_slots ? def->n_slots : 1), sizeof *ca->r.values);
    if (!ca->r.state || !ca->r.values)
        return SK_ERR_NOMEM;
    for (int i = 0; i < def->n_options; i++)
        ca->r.state[i] = SK_BOX_UNCHECKED;
    ca->r.n_values = def->n_slots;
    for (int i = 0; i < def->n_slots; i++)
        if (!(ca->r.values[i] = calloc(1, 1)))
            return SK_ERR_NOMEM;
    return SK_OK;
}

/* sk_answers_new, with blank results only for items whose row is 0 (all of
 * them when row is NULL). */
static sk_answers *answers_new(const sk_template *t, const uint32_t *row)
{
    sk_answers *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->tpl = t;
    a->phase = -1;
    a->n_items = t->n_items;
    if (!(a->items = calloc((size_t)t->n_items, sizeof *a->items)))
        goto fail;
    for (int k = 0; k < SK_DOC__COUNT; k++)
        if (sk_answers_set_str(&a->doc[k], "") != SK_OK)
            goto fail;
    for (int i = 0; i < t->n_items; i++) {
        a->items[i].item = &t->items[i];
        a->items[i].status = SK_STATUS_UNANSWERED;
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            if (cell_init(&a->items[i].cells[p], &t->items[i].cells[p], !(row && row[i])) != SK_OK)
                goto fail;
    }
    return a;
fail:
    sk_answers_free(a);
    return NULL;
}

sk_answers *sk_answers_new(const sk_template *t)
{
    return answers_new(t, NULL);
}

sk_answers *sk_answers_new_located(const sk_template *t, const uint32_t *row)
{
    return answers_new(t, row);
}

void sk_answers_free(sk_answers *a)
{
    if (!a)
        return;
    for (int i = 0; a->items && i < a->n_items; i++) {
        sk_item_answers *ia = &a->items[i];
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            sk_cell_answers *ca = &ia->cells[p];
            sk_align_result_free(&ca->r);
            free(ca->raw);
            for (int c = 0; c < ca->n_comments; c++) {
                free(ca->comments[c].author);
                free(ca->comments[c].text);
            }
            free(ca->comments);
            free(ca->by_control);
        }
        for (int f = 0; f < ia->n_reading; f++) {
            free(ia->reading[f].message_ja);
            free(ia->reading[f].message_en);
        }
        free(ia->reading);
        for (int f = 0; f < ia->n_findings; f++) {
            free(ia->findings[f].message_ja);
            free(ia->findings[f].message_en);
        }
        free(ia->findings);
    }
    free(a->items);
    for (int f = 0; f < a->n_notes; f++) {
        free(a->notes[f].message_ja);
        free(a->notes[f].message_en);
    }
    free(a->notes);
    free(a->path);
    free(a->sha256);
    free(a->converted_by);
    free(a->sheet);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        free(a->doc[k]);
    free(a);
}

sk_error sk_answers_set_str(char **dst, const char *src)
{
    char *p = sk_strndup(src ? src : "", src ? strlen(src) : 0);
    if (!p)
        return SK_ERR_NOMEM;
    free(*dst);
    *dst = p;
    return SK_OK;
}

/* A copy of a message with invalid UTF-8 left out: messages are built in
 * fixed-size buffers (snprintf, "%.300s"), which can cut a character. */
static char *valid_utf8_dup(const char *s)
{
    size_t len = strlen(s), pos = 0, n = 0;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    while (pos < len) { /* a valid run, then the invalid byte after it left out */
        size_t run = sk_utf8_valid_prefix(s + pos, len - pos);
        memcpy(out + n, s + pos, run);
        n += run;
        pos += run;
        if (pos < len)
            sk_utf8_next(s, len, &pos);
    }
    out[n] = '\0';
    return out;
}

/* Appends a finding to a list (grown through a temporary). */
static sk_error add_finding(sk_finding **list, int *n, int *cap, sk_severity sev, const char *code, int party,
                            const char *message_ja, const char *message_en)
{
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 4;
        sk_finding *p = realloc(*list, sizeof *p * (size_t)ncap);
        if (!p)
            return SK_ERR_NOMEM;
        *list = p;
        *cap = ncap;
    }
    sk_finding *f = &(*list)[*n];
    f->severity = sev;
    f->cls = SK_CLASS_DEFICIENCY;
    f->code = code;
    f->party = party;
    f->message_ja = valid_utf8_dup(message_ja);
    f->message_en = valid_utf8_dup(message_en);
    if (!f->message_ja || !f->message_en) {
        free(f->message_ja);
        free(f->message_en);
        return SK_ERR_NOMEM;
    }
    (*n)++;
    return SK_OK;
}

sk_error sk_item_add_finding(sk_item_answers *ia, sk_severity sev, const char *code, int party,
                             const char *message_ja, const char *message_en)
{
    return add_finding(&ia->findings, &ia->n_findings, &ia->cap_findings, sev, code, party, message_ja,
                       message_en);
}

sk_error sk_item_add_reading(sk_item_answers *ia, sk_severity sev, const char *code, int party,
                             const char *message_ja, const char *message_en)
{
    return add_finding(&ia->reading, &ia->n_reading, &ia->cap_reading, sev, code, party, message_ja, message_en);
}

sk_error sk_cell_add_comment(sk_cell_answers *ca, const char *author, const char *text, bool threaded)
{
    if (ca->n_comments == ca->cap_comments) {
        int cap = ca->cap_comments ? ca->cap_comments * 2 : 2;
        sk_comment *p = realloc(ca->comments, sizeof *p * (size_t)cap);
        if (!p)
            return SK_ERR_NOMEM;
        ca->comments = p;
        ca->cap_comments = cap;
    }
    sk_comment *c = &ca->comments[ca->n_comments];
    c->author = valid_utf8_dup(author ? author : "");
    c->text = valid_utf8_dup(text ? text : "");
    c->threaded = threaded;
    if (!c->author || !c->text) {
        free(c->author);
        free(c->text);
        return SK_ERR_NOMEM;
    }
    ca->n_comments++;
    return SK_OK;
}

sk_error sk_answers_add_note(sk_answers *a, sk_severity sev, const char *code, const char *message_ja,
                             const char *message_en)
{
    return add_finding(&a->notes, &a->n_notes, &a->cap_notes, sev, code, -1, message_ja, message_en);
}
