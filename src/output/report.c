/* sechk — the text report of `sechk check`. */
#include "sechk/report.h"
#include "sechk/validate.h"

#include <stdio.h>
#include <string.h>

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define GREEN "\033[32m"
#define DIM "\033[2m"
#define RESET "\033[0m"

sk_error sk_report_text(const sk_answers *a, sk_lang lang, bool color, sk_buf *out)
{
    const sk_template *t = a->tpl;
    sk_tally tally;
    sk_answers_tally(a, &tally);
    const int *counts = tally.counts, errors = tally.errors, warnings = tally.warnings;
    bool ja = lang == SK_LANG_JA;
    const char *verdict = sk_verdict_label(tally.verdict, lang);
    const char *vc = !color ? "" : errors ? RED : warnings ? YELLOW : GREEN;
    char basis[512], how[640];
    how[0] = '\0';
    if (a->phase_auto && a->phase >= 0) {
        sk_phase_basis(a, lang, basis, sizeof basis);
        snprintf(how, sizeof how, ja ? "（自動判定: %s）" : " (auto: %s)", basis);
    }
    sk_error e = sk_buf_printf(out, "%s: %s%s%s [%s %s%s]", a->path ? a->path : "", vc, verdict, color ? RESET : "",
                               ja ? "段階" : "phase", a->phase >= 0 ? t->phases[a->phase].label : "-", how);
    for (int s = 0; s < SK_STATUS__COUNT && !e; s++)
        e = sk_buf_printf(out, " %s %d", sk_status_label((sk_status)s, lang), counts[s]);
    if (!e)
        e = sk_buf_printf(out, " / %s %d, %s %d\n", ja ? "エラー" : "errors", errors, ja ? "警告" : "warnings",
                          warnings);
    for (int f = 0; f < a->n_notes && !e; f++) {
        const sk_finding *fd = &a->notes[f];
        const char *sc = !color ? "" : fd->severity == SK_SEV_ERROR ? RED : fd->severity == SK_SEV_WARNING ? YELLOW : DIM;
        e = sk_buf_printf(out, "  %-21s %s%s%s [%s] %s\n", ja ? "ブック" : "workbook", sc,
                          sk_severity_label(fd->severity, lang), color ? RESET : "", fd->code,
                          ja ? fd->message_ja : fd->message_en);
    }
    for (int i = 0; i < a->n_items && !e; i++) {
        const sk_item_answers *ia = &a->items[i];
        for (int f = 0; f < ia->n_findings && !e; f++) {
            const sk_finding *fd = &ia->findings[f];
            const char *col = fd->party < 0 ? "-" : sk_template_party_short(t, fd->party, lang);
            const char *cell = fd->party >= 0 && ia->row > 0 ? ia->cells[fd->party].ref : "-";
            const char *sc = !color ? "" : fd->severity == SK_SEV_ERROR ? RED : fd->severity == SK_SEV_WARNING ? YELLOW : DIM;
            e = sk_buf_printf(out, "  No.%-3d %-6s %-6s %s%s%s [%s] %s\n", ia->item->no, col, cell, sc,
                              sk_severity_label(fd->severity, lang), color ? RESET : "", fd->code,
                              ja ? fd->message_ja : fd->message_en);
        }
    }
    return e;
}

sk_error sk_report_unreadable(sk_buf *out, const char *path, const sk_diag *d, sk_lang lang)
{
    return sk_buf_printf(out, "%s: %s: %s\n", path, lang == SK_LANG_JA ? "読み込めません" : "unreadable",
                         d->reason[0] ? d->reason : sk_strerror(d->code));
}
