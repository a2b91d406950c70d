/* sechk — umbrella header: the whole public API of the sechk library. */
#ifndef SECHK_H
#define SECHK_H

#include "sechk/error.h"
#include "sechk/text.h"
#include "sechk/lang.h"
#include "sechk/ref.h"
#include "sechk/arena.h"
#include "sechk/limits.h"
#include "sechk/sha256.h"
#include "sechk/book.h"
#include "sechk/template.h"
#include "sechk/align.h"
#include "sechk/answers.h"
#include "sechk/extract.h"
#include "sechk/validate.h"
#include "sechk/answers_json.h"
#include "sechk/json.h"
#include "sechk/csv.h"
#include "sechk/report.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/review.h"
#include "sechk/walk.h"
#include "sechk/pool.h"
#include "sechk/summary.h"
#include "sechk/batch.h"
#include "sechk/cfb.h"
#include "sechk/crypt.h"
#include "sechk/convert.h"

#endif
