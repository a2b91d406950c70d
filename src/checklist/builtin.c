/* sechk — the built-in template: static tables generated at build time from
 * templates/default.xml (tools/mktables.c writes build/gen/default_tables.c).
 * Kept out of template.c so that the generator, which links the loader,
 * links without the tables it writes. */
#include <stdlib.h>

#include "sechk/template.h"

extern const sk_template sk_default_template;

sk_error sk_template_load_default(sk_template **out, sk_diag *d)
{
    /* a copy of the top structure, with no arena: sk_template_free frees
     * that copy only; everything it points to is the static tables */
    sk_template *t = malloc(sizeof *t);
    *out = t;
    if (!t)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory (loading the built-in template)");
    *t = sk_default_template;
    t->arena = NULL;
    return SK_OK;
}
