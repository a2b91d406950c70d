/* sechk web — the C API of the page (build/web/sechk.html).
 *
 * The page's JavaScript calls these functions of the WebAssembly module; they
 * call the same library functions as the command line (sk_extract_file,
 * sk_validate, sk_json_write_answers, sk_csv_answers, sk_review_write,
 * sk_summary_*, sk_render_checklist), so that the page and the CLI give the
 * same answers, findings and workbooks.  No checking logic lives in the page.
 *
 * Files live in emscripten's in-memory file system (MEMFS), never on a disk:
 * the page writes each input's bytes at its relative path under /in (the
 * current folder), runs it, and reads the outputs from /out, which mirrors a
 * `sechk batch` output folder (NAME.json, NAME.review.xlsx, summary.xlsx,
 * summary.csv); the answers as CSV go to /csv/NAME.csv.
 *
 * A run: skw_begin (the list of inputs; they are ordered and named as
 * `sechk batch` orders and names them), skw_path(i) and skw_run(i) for each,
 * then skw_finish (summary.xlsx, summary.csv, and the .zip of /out built in
 * memory with libzip).  `sechk batch` runs files in worker processes; the page
 * has no fork(), so it runs them one after the other, in process, under the
 * same input limits (sk_limits_default) as the CLI.
 *
 * Strings returned stay valid until the next call that changes them.
 * Not compiled into libsechk (src/web is not in the Makefile's LIB_SRC).
 */
#ifndef SECHK_WEB_H
#define SECHK_WEB_H

#include <stddef.h>

/* Loads the built-in template; 0, or 2 (skw_error says why). */
int skw_init(void);

/* The last error as one line (in the run's language). */
const char *skw_error(void);

/* Starts a run: lang 0 ja / 1 en, phase an id or "auto", epoch the creation
 * time to record in the workbooks (0: each input's modification time),
 * paths the inputs' relative paths separated by '\n'.  Clears the outputs of
 * the previous run.  Returns the number of inputs, or -1 (skw_error). */
int skw_begin(int lang, const char *phase, double epoch, const char *paths);

/* The i-th input's path, in run order (strcmp order, as `sechk batch`). */
const char *skw_path(int i);

/* Reads, checks and writes input i (its bytes at skw_path(i) in MEMFS;
 * mtime in seconds since 1970).  Returns 0 (no error-severity finding), 1
 * (findings), 2 (unreadable: skw_error has the one-line reason).  skw_result
 * then holds the row as JSON: file, name, status, verdict, service, phase,
 * counts, errors, warnings, findings, error, and the output paths json,
 * review, csv (null when not written). */
int skw_run(int i, double mtime);
const char *skw_result(void);

/* Input i is size bytes: if that is over the file-size limit, fails its row
 * as the library would (same reason) without its bytes ever being read, and
 * returns 2 (skw_result holds the row); else returns 0 and the page goes on
 * with skw_run.  A browser holds a file in memory to hand it over, so the
 * limit is applied before reading. */
int skw_oversize(int i, double size);

/* Writes /out/summary.xlsx and /out/summary.csv and the .zip of everything
 * under /out (skw_zip_data, skw_zip_size).  0, or 2 (skw_error). */
int skw_finish(void);
const unsigned char *skw_zip_data(void);
size_t skw_zip_size(void);

/* Writes a blank checklist to path: project and service may be "", date is
 * YYYY-MM-DD.  0, or 2 (skw_error). */
int skw_template(const char *project, const char *service, const char *date, const char *path);

#endif
