/* sechk fill — write a workbook from JSON answers (the inverse of extract). */
#include <getopt.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "sechk/answers_json.h"
#include "sechk/output.h"
#include "sechk/render.h"

/* Largest answers file accepted: far above any real checklist's answers. */
enum { MAX_JSON_BYTES = 64 * 1024 * 1024 };

typedef struct fill_job {
    const sk_template *t;
    const sk_answers *a;
    const char *project;
    const char *source;
    time_t created; /* SOURCE_DATE_EPOCH, or 0: now */
} fill_job;

/* Builds the filled workbook. */
static sk_error build(lxw_workbook *wb, void *ctx, sk_diag *d)
{
    fill_job *job = ctx;
    sk_formats f;
    sk_formats_init(wb, &f);
    sk_render_opts o = {.project = job->project, .answers = job->a};
    for (int k = 0; k < SK_DOC__COUNT; k++)
        o.doc[k] = job->a->doc[k];
    sk_error e = sk_render_checklist(wb, &f, job->t, &o, NULL, d);
    if (e)
        return e;
    char comments[1024];
    /* the file's name only: a full path would leak the sender's folders */
    const char *base = strrchr(job->source, '/') ? strrchr(job->source, '/') + 1 : job->source;
    snprintf(comments, sizeof comments, "sechk fill %s (%s %s)", base, job->t->id, job->t->version);
    return sk_set_properties(wb, job->t->title, job->a->doc[SK_DOC_SERVICE], comments, job->created);
}

int sk_cmd_fill(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},   {"project", required_argument, NULL, 'p'},
        {"template", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
        {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *tpath = NULL;
    fill_job job = {0};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'p': job.project = optarg; break;
        case 't': tpath = optarg; break;
        default: {
            int status = sk_cli_plain_opt("fill", c, argv, SK_MSG_HELP_FILL);
            if (status >= 0)
                return status;
            break;
        }
        }
    }
    if (optind + 1 != argc)
        return sk_cli_usage_msg("fill", SK_MSG_FILL_ONE_INPUT);
    if (!out)
        return sk_cli_usage_msg("fill", SK_MSG_OUTPUT_REQUIRED);
    const char *in = argv[optind];
    job.source = in;
    if (!sk_cli_source_date("fill", &job.created)) /* the same output for the same input */
        return SK_EXIT_FAIL;
    sk_diag d;
    sk_diag_clear(&d);
    struct stat st;
    if (stat(in, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_JSON_BYTES) {
        sk_diag_file(&d, in);
        sk_diag_set(&d, SK_ERR_JSON, "%s", stat(in, &st) != 0 ? "cannot read the file" :
                                           !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 64 MiB");
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    if (sk_out_check(out, &in, 1, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    sk_answers *a = NULL;
    sk_diag_clear(&d); /* errors from here on name the input, not the output */
    sk_error e = sk_json_load_answers(in, t, &a, &d);
    if (!e) {
        job.t = t;
        job.a = a;
        e = sk_out_workbook(out, build, &job, &d);
        if (e)
            sk_diag_file(&d, out);
    }
    sk_answers_free(a);
    sk_template_free(t);
    return sk_cli_wrote_one(out, e, &d);
}
