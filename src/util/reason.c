/* sechk — the reasons of diagnostics in Japanese and English. */
#include "sechk/reason.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The Japanese for each error code, used when a reason has no translation. */
static const char *const code_ja[] = {
    [SK_OK] = "エラーはありません",
    [SK_ERR_NOMEM] = "メモリが足りません",
    [SK_ERR_IO] = "ファイルを読み書きできません",
    [SK_ERR_USAGE] = "使い方の誤りです",
    [SK_ERR_FORMAT] = ".xlsx ブックではありません",
    [SK_ERR_ZIP] = "zip ファイルが壊れているか、対応していない形式です",
    [SK_ERR_XML] = "ブックの中の XML が壊れているか、受け付けられません",
    [SK_ERR_LIMIT] = "入力の上限を超えました",
    [SK_ERR_TEMPLATE] = "チェックリスト定義ファイルが正しくありません",
    [SK_ERR_NOT_CHECKLIST] = "ブックにチェックリストが見つかりません",
    [SK_ERR_JSON] = "回答ファイル (JSON) が正しくありません",
    [SK_ERR_ENCODING] = "出力の文字コードで表せない文字があります",
    [SK_ERR_WRITE] = "出力を書き込めません",
};
_Static_assert(sizeof code_ja / sizeof code_ja[0] == SK_ERR__COUNT, "code_ja[] and sk_error must list the same codes");

/* The library's reasons that users see most, by id: the English as the
 * library writes it (a prefix: what follows, such as ": " and an errno text,
 * is kept) and the Japanese shown instead. */
typedef enum sk_reason_id {
    SK_REASON_NO_EOCD,
    SK_REASON_NOT_ZIP,
    SK_REASON_EMPTY_ZIP,
    SK_REASON_EMPTY_FILE,
    SK_REASON_CFB_DAMAGED,
    SK_REASON_TRUNCATED,
    SK_REASON_MULTIVOLUME,
    SK_REASON_CDIR_OUTSIDE,
    SK_REASON_CANNOT_OPEN_TEMPLATE, /* before SK_REASON_CANNOT_OPEN: the first match wins */
    SK_REASON_CANNOT_OPEN,
    SK_REASON_IS_DIR,
    SK_REASON_CHANGED,
    SK_REASON_OUT_NO_FOLDER,
    SK_REASON_OUT_NOT_FOLDER,
    SK_REASON_OUT_IS_FOLDER,
    SK_REASON_OUT_OVERWRITE,
    SK_REASON_OUT_CREATE,
    SK_REASON_OUTDIR_CREATE,
    SK_REASON_OUT_SYMLINK,
    SK_REASON_OUT_NOT_REGULAR,
    SK_REASON_OUT_OPEN_FOLDER,
    SK_REASON_OUT_BAD_FOLDER_NAME,
    SK_REASON_OUT_STAGING_REPLACED,
    SK_REASON_OUT_DAMAGED,
    SK_REASON_OUT_TEMP_FILES, /* before SK_REASON_OUT_WORKBOOK: the first match wins */
    SK_REASON_OUT_WORKBOOK,
    SK_REASON_OUT_CREATE_WORKBOOK,
    SK_REASON_OUT_LOCK,
    SK_REASON_OUT_IS_LINK,
    SK_REASON_OUT_TARGET_LINK,
    SK_REASON_OUT_FOLDER_LINK,
    SK_REASON_JSON_WORKBOOK,
    SK_REASON_JSON_MALFORMED,
    SK_REASON_JSON_COUNT,
    SK_REASON_NO_WORKSHEET,
    SK_REASON_NO_CHECKLIST,
    SK_REASON_NOMEM,
    SK_REASON__COUNT
} sk_reason_id;

typedef struct sk_reason_entry {
    sk_error code;
    const char *en;
    const char *ja;
} sk_reason_entry;

static const sk_reason_entry reasons[] = {
    [SK_REASON_NO_EOCD] = {SK_ERR_ZIP, "no end of central directory record (a truncated or damaged zip)",
                           "zip の終端レコードがありません（ファイルが途中で切れているか壊れています）"},
    [SK_REASON_NOT_ZIP] = {SK_ERR_FORMAT, "not a zip file (not an .xlsx workbook)",
                           "zip ファイルではありません（.xlsx ブックではありません）"},
    [SK_REASON_EMPTY_ZIP] = {SK_ERR_FORMAT, "an empty zip archive (not an .xlsx workbook)",
                             "空の zip ファイルです（.xlsx ブックではありません）"},
    [SK_REASON_EMPTY_FILE] = {SK_ERR_FORMAT, "empty file", "空のファイルです"},
    [SK_REASON_CFB_DAMAGED] = {SK_ERR_FORMAT, "damaged OLE/CFB container",
                               "壊れた OLE/CFB ファイルです（パスワード付きのブックか .xls が壊れています）"},
    [SK_REASON_TRUNCATED] = {SK_ERR_ZIP, "the zip is truncated (damaged file)",
                             "zip ファイルが途中で切れています（壊れたファイル）"},
    [SK_REASON_MULTIVOLUME] = {SK_ERR_ZIP, "multi-volume zip archives are not supported",
                               "分割された zip ファイルには対応していません"},
    [SK_REASON_CDIR_OUTSIDE] = {SK_ERR_ZIP, "the central directory lies outside the file (damaged zip)",
                                "zip の目録がファイルの外を指しています（壊れた zip）"},
    [SK_REASON_CANNOT_OPEN] = {SK_ERR_IO, "cannot open", "開けません"},
    [SK_REASON_CANNOT_OPEN_TEMPLATE] = {SK_ERR_IO, "cannot open template", "チェックリスト定義ファイルを開けません"},
    [SK_REASON_IS_DIR] = {SK_ERR_IO, "is a directory, not a file", "フォルダです（ファイルではありません）"},
    [SK_REASON_CHANGED] = {SK_ERR_IO, "the file changed while it was being read",
                           "読み込み中にファイルが変更されました"},
    [SK_REASON_OUT_NO_FOLDER] = {SK_ERR_WRITE, "output folder does not exist", "出力先のフォルダがありません"},
    [SK_REASON_OUT_NOT_FOLDER] = {SK_ERR_WRITE, "the output's folder is not a folder",
                                  "出力先のフォルダとして指定したものがフォルダではありません"},
    [SK_REASON_OUT_IS_FOLDER] = {SK_ERR_USAGE, "the output path is a folder",
                                 "出力先がフォルダです（ファイル名を指定してください）"},
    [SK_REASON_OUT_OVERWRITE] = {SK_ERR_USAGE, "the output would overwrite the input",
                                 "出力が入力ファイルを上書きしてしまいます"},
    [SK_REASON_OUT_CREATE] = {SK_ERR_WRITE, "cannot create a file in the output folder",
                              "出力先のフォルダにファイルを作れません"},
    [SK_REASON_OUTDIR_CREATE] = {SK_ERR_WRITE, "cannot create the output folder", "出力フォルダを作れません"},
    [SK_REASON_OUT_SYMLINK] = {SK_ERR_WRITE, "a symbolic link (not followed)",
                               "シンボリックリンクです（たどりません）"},
    [SK_REASON_OUT_NOT_REGULAR] = {SK_ERR_WRITE, "the output path exists and is not a regular file",
                                   "出力先に通常のファイルではないものがあります"},
    [SK_REASON_OUT_OPEN_FOLDER] = {SK_ERR_WRITE, "cannot open the output folder", "出力先のフォルダを開けません"},
    [SK_REASON_OUT_BAD_FOLDER_NAME] = {SK_ERR_WRITE, "bad folder name in the output path",
                                       "出力先のパスのフォルダ名が正しくありません"},
    [SK_REASON_OUT_STAGING_REPLACED] = {SK_ERR_WRITE, "the staging file was replaced while it was written",
                                        "書き込み中の一時ファイルが置き換えられました"},
    [SK_REASON_OUT_DAMAGED] = {SK_ERR_WRITE, "the written workbook is damaged", "書き出したブックが壊れています"},
    [SK_REASON_OUT_TEMP_FILES] = {SK_ERR_WRITE, "cannot write the workbook's temporary files",
                                  "ブックの一時ファイルを書き込めません"},
    [SK_REASON_OUT_WORKBOOK] = {SK_ERR_WRITE, "cannot write the workbook", "ブックを書き込めません"},
    [SK_REASON_OUT_CREATE_WORKBOOK] = {SK_ERR_WRITE, "cannot create the workbook", "ブックを作成できません"},
    [SK_REASON_OUT_LOCK] = {SK_ERR_WRITE, "cannot lock the output folder", "出力フォルダをロックできません"},
    [SK_REASON_OUT_IS_LINK] = {SK_ERR_USAGE, "the output is a symbolic link; sechk does not write through it",
                               "出力先がシンボリックリンクです。リンク先には書き込みません"},
    [SK_REASON_OUT_TARGET_LINK] = {SK_ERR_WRITE, "a symbolic link where the output would be; not written through",
                                   "出力先がシンボリックリンクです。リンク先には書き込みません"},
    [SK_REASON_OUT_FOLDER_LINK] = {SK_ERR_WRITE, "%s: a symbolic link where a folder would be; not followed",
                                   "%s: フォルダの位置にシンボリックリンクがあります。たどりません"},
    [SK_REASON_JSON_WORKBOOK] = {SK_ERR_JSON, "a workbook, not answers JSON: use sechk extract to read its answers",
                                 "回答の JSON ではなく Excel のブックです。ブックから回答を取り出すには sechk extract "
                                 "を使ってください"},
    [SK_REASON_JSON_MALFORMED] = {SK_ERR_JSON, "malformed JSON", "JSON の形式が正しくありません"},
    [SK_REASON_JSON_COUNT] = {SK_ERR_JSON,
                              "the array holds %s answers objects; fill writes one workbook from one answers object",
                              "回答が %s 件あります。fill は 1 件の回答から 1 つのブックを作ります"},
    [SK_REASON_NO_WORKSHEET] = {SK_ERR_NOT_CHECKLIST, "the workbook has no worksheet",
                                "ブックにワークシートがありません"},
    [SK_REASON_NO_CHECKLIST] = {SK_ERR_NOT_CHECKLIST, "no sheet holds the checklist",
                                "チェックリストのシートが見つかりません"},
    [SK_REASON_NOMEM] = {SK_ERR_NOMEM, "out of memory", "メモリが足りません"},
};
_Static_assert(sizeof reasons / sizeof reasons[0] == SK_REASON__COUNT,
               "reasons[] and sk_reason_id must list the same reasons");

/* Whether r starts with the phrase en, a whole phrase (followed by the end,
 * ':', '(' or ' '); en may hold one "%s", which matches the text up to the
 * first place where the rest of en follows.  Sets *end past the phrase and
 * *arg, *arg_len to what "%s" matched (empty without one). */
static bool match_reason(const char *en, const char *r, const char **end, const char **arg, size_t *arg_len)
{
    const char *w = strstr(en, "%s");
    size_t head = w ? (size_t)(w - en) : strlen(en);
    *arg = "";
    *arg_len = 0;
    if (strncmp(r, en, head) != 0)
        return false;
    const char *p = r + head;
    if (w) {
        const char *tail = w + 2;
        const char *t = *tail ? strstr(p, tail) : p + strlen(p);
        if (!t || t == p)
            return false;
        *arg = p;
        *arg_len = (size_t)(t - p);
        p = t + strlen(tail);
    }
    *end = p;
    return strchr(":( ", *p) != NULL;
}

/* The known reason that r starts with, or NULL; *end, *arg as match_reason. */
static const sk_reason_entry *find_reason(sk_error code, const char *r, const char **end, const char **arg,
                                          size_t *arg_len)
{
    for (int k = 0; k < SK_REASON__COUNT; k++)
        if (reasons[k].code == code && match_reason(reasons[k].en, r, end, arg, arg_len))
            return &reasons[k];
    return NULL;
}

/* Appends s to buf (holding *n bytes, cap in all), cutting at a character
 * boundary when it does not fit, so that a long reason stays valid UTF-8. */
static void append(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t len = strlen(s);
    if (*n + len + 1 > cap) {
        len = cap - *n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = '\0';
}

/* Appends k's Japanese with "%s" replaced by arg, then what followed. */
static void append_ja(char *buf, size_t cap, size_t *n, const sk_reason_entry *k, const char *arg, size_t arg_len,
                      const char *end)
{
    const char *w = strstr(k->ja, "%s");
    if (w) {
        char a[512];
        size_t head = (size_t)(w - k->ja), al = arg_len < sizeof a ? arg_len : sizeof a - 1;
        char h[512];
        snprintf(h, sizeof h, "%.*s", (int)head, k->ja);
        memcpy(a, arg, al);
        a[al] = '\0';
        append(buf, cap, n, h);
        append(buf, cap, n, a);
        append(buf, cap, n, w + 2);
    } else {
        append(buf, cap, n, k->ja);
    }
    append(buf, cap, n, end);
}

const char *sk_diag_reason_plain(const sk_diag *d, sk_lang lang, char *buf, size_t cap)
{
    const char *r = d->reason[0] ? d->reason : sk_strerror(d->code);
    const char *end = NULL, *arg = NULL;
    size_t arg_len = 0;
    const sk_reason_entry *k = lang == SK_LANG_JA ? find_reason(d->code, r, &end, &arg, &arg_len) : NULL;
    size_t n = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    if (k) {
        append_ja(buf, cap, &n, k, arg, arg_len, end);
    } else {
        append(buf, cap, &n, r);
    }
    return buf;
}

const char *sk_diag_reason(const sk_diag *d, sk_lang lang, char *buf, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    const char *r = d->reason[0] ? d->reason : sk_strerror(d->code);
    const char *end = NULL, *arg = NULL;
    size_t arg_len = 0;
    const sk_reason_entry *k = lang == SK_LANG_JA ? find_reason(d->code, r, &end, &arg, &arg_len) : NULL;
    if (lang == SK_LANG_EN || (unsigned char)r[0] >= 0x80) { /* English, or already Japanese */
        append(buf, cap, &n, r);
    } else if (k) {
        append_ja(buf, cap, &n, k, arg, arg_len, end);
    } else if (!d->reason[0] && (unsigned)d->code < SK_ERR__COUNT) {
        append(buf, cap, &n, code_ja[d->code]);
    } else if ((unsigned)d->code < SK_ERR__COUNT && d->code != SK_OK) {
        append(buf, cap, &n, code_ja[d->code]);
        append(buf, cap, &n, "（");
        append(buf, cap, &n, r);
        append(buf, cap, &n, "）");
    } else {
        append(buf, cap, &n, r);
    }
    return buf;
}

/* The library's phrases: Japanese, English. */
static const struct {
    const char *ja, *en;
} phrases[] = {
    [SK_PHRASE_OUT_IS_INPUT] = {"出力ファイルが入力ファイルと同じです", "an output would overwrite an input file"},
    [SK_PHRASE_MEMORY_LIMIT] = {" (メモリの上限 --max-memory-bytes %llu)", " (memory limit --max-memory-bytes %llu)"},
    [SK_PHRASE_CANNOT_WRITE] = {"書き込めません：%s", "cannot write: %s"},
    [SK_PHRASE_CPU_LIMIT] = {"CPU 時間の上限（%g 秒、--max-seconds）を超えたため中止しました",
                             "CPU time limit (%g s) exceeded; stopped (--max-seconds)"},
    [SK_PHRASE_WORKER_CRASHED] = {"処理中のワーカーが異常終了しました（シグナル %d: %s）",
                                  "worker crashed (signal %d: %s)"},
    [SK_PHRASE_WORKER_EXITED] = {"処理中のワーカーが終了しました（終了ステータス %d）",
                                 "worker exited with status %d"},
    [SK_PHRASE_TIME_LIMIT] = {"時間の上限（%g 秒、--max-seconds）を超えたため中止しました",
                              "time limit (%g s) exceeded; stopped (--max-seconds)"},
    [SK_PHRASE_BAD_RESULT] = {"ワーカーの結果が不正です",
                              "malformed result from a worker"},
    [SK_PHRASE_NO_WORKER] = {"ワーカーを起動できません: %s", "cannot start a worker: %s"},
    [SK_PHRASE_NOT_PROCESSED] = {"中断のため未処理", "not processed (interrupted)"},
    [SK_PHRASE_LOCK_OPEN] = {"ロックファイルを開けません: %s", "cannot open the lock file: %s"},
    [SK_PHRASE_LOCKED] =
        {"別の sechk batch（pid %ld）がこの出力フォルダに書き込んでいます。終わってから実行してください",
         "another sechk batch (pid %ld) is writing to this output folder; run again when it has finished"},
    [SK_PHRASE_SYMLINK_NOT_FOLLOWED] = {"シンボリックリンクです（たどりません）", "a symbolic link (not followed)"},
    [SK_PHRASE_INPUT_UNREADABLE] = {"入力を読めません: %s", "cannot read the input: %s"},
    [SK_PHRASE_INPUT_SPECIAL] = {"通常のファイルでもフォルダでもありません", "not a regular file or folder"},
    [SK_PHRASE_FOLDER_UNREADABLE] = {"フォルダを読めません: %s", "cannot read the folder: %s"},
    [SK_PHRASE_SYMLINK_LOOP] = {"シンボリックリンクが循環しています（スキップしました）", "symlink loop (skipped)"},
};
_Static_assert(sizeof phrases / sizeof phrases[0] == SK_PHRASE__COUNT,
               "phrases[] and sk_phrase_id must list the same phrases");

const char *sk_phrase(sk_phrase_id id, sk_lang lang)
{
    if ((unsigned)id >= SK_PHRASE__COUNT)
        return "?";
    return lang == SK_LANG_EN ? phrases[id].en : phrases[id].ja;
}

char *sk_phrase_format(char *buf, size_t cap, sk_lang lang, sk_phrase_id id, ...)
{
    va_list ap;
    va_start(ap, id);
    /* the format is one of the table's constants; test_msg checks that both
     * languages take the same conversions */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, cap, sk_phrase(id, lang), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    return buf;
}
