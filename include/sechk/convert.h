/* sechk — converting legacy spreadsheets (.xls, .ods, .xlsb) to .xlsx with
 * LibreOffice, for `--convert`.
 *
 * sk_convert_file makes a private folder (mkdtemp, mode 0700) under $TMPDIR
 * (or /tmp), runs `soffice --headless --convert-to xlsx` there with a fresh
 * LibreOffice profile inside that folder (-env:UserInstallation), its own
 * process group, no terminal and a time limit (the whole group is killed
 * when it passes), and returns the converted file's path.  The caller reads
 * it and removes the folder with sk_convert_cleanup.  Nothing is downloaded;
 * if soffice is not on PATH the error says what to install.
 *
 * A stop signal (SIGINT, SIGTERM, SIGHUP) held back with sk_convert_hold
 * ends the conversion at once: LibreOffice's group is killed and the
 * folder removed before the signal is let through.
 *
 * Ownership: *dir, *xlsx and *version are new strings (free with free());
 * sk_convert_cleanup removes *dir and everything in it.
 */
#ifndef SECHK_CONVERT_H
#define SECHK_CONVERT_H

#include <signal.h>

#include "sechk/crypt.h"
#include "sechk/error.h"

#define SK_CONVERT_DEFAULT_SECONDS 120.0

/* Converts path to .xlsx: *dir is the private folder, *xlsx the converted
 * file in it, *version "LibreOffice 7.4.7.2" (or "LibreOffice" if unknown).
 * On failure the folder is already removed and *dir is NULL. */
sk_error sk_convert_file(const char *path, const sk_open_opts *o, char **dir, char **xlsx, char **version,
                         sk_diag *d);

/* Removes the folder made by sk_convert_file (NULL is fine). */
void sk_convert_cleanup(const char *dir);

/* Holds SIGINT, SIGTERM and SIGHUP back (the old mask in *old) from before
 * sk_convert_file until the caller has removed the folder: a stop signal
 * then kills LibreOffice's process group at once, the folder is removed,
 * and its handler runs (or the default action ends the process) at
 * sk_convert_release, which restores *old.  LibreOffice runs with them
 * unblocked. */
void sk_convert_hold(sigset_t *old);
void sk_convert_release(const sigset_t *old);

#endif
