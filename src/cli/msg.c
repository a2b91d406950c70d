/* sechk command line — the message catalogue (Japanese and English). */
#include "msg.h"

#include <stdarg.h>
#include <string.h>

/* One message in both languages. */
typedef struct sk_msg_entry {
    const char *ja;
    const char *en;
} sk_msg_entry;

static const sk_msg_entry messages[] = {
    [SK_MSG_USAGE_HINT] = {"'sechk %s --help' で使い方を表示します", "see 'sechk %s --help'"},
    [SK_MSG_INVALID_OPTION] = {"不正なオプションか、引数がありません: '%s'",
                               "invalid option or missing argument: '%s'"},
    [SK_MSG_NO_INPUT] = {"入力ファイルを指定してください", "no input file"},
    [SK_MSG_ONE_INPUT] = {"入力ファイルを 1 つ指定してください", "give one input file"},
    [SK_MSG_OUTPUT_REQUIRED] = {"-o で出力ファイルを指定してください", "the output is required (-o)"},
    [SK_MSG_BAD_LANG] = {"--lang: ja か en を指定してください: '%s'", "--lang: expected ja or en: '%s'"},
    [SK_MSG_BAD_PHASE] = {"--phase: 不明な段階です '%s'（選定|開発|運用|廃棄|auto、または "
                          "selection|development|operation|disposal）",
                          "--phase: unknown phase '%s' (selection|development|operation|disposal|auto, or "
                          "選定|開発|運用|廃棄)"},
    [SK_MSG_BAD_INTEGER] = {"%s: 1 から %llu までの整数を指定してください: '%s'",
                            "%s: expected an integer from 1 to %llu: '%s'"},
    [SK_MSG_ARG_NOT_UTF8] = {"引数 %d が UTF-8 ではありません", "argument %d is not valid UTF-8"},
    [SK_MSG_UNKNOWN_COMMAND] = {"不明なコマンドです: '%s'", "unknown command '%s'"},
    [SK_MSG_UNKNOWN_TOPIC] = {"help: 不明な項目です: '%s'（コマンド名か limits）",
                              "help: unknown topic '%s' (a command or limits)"},
    [SK_MSG_WRITTEN] = {"書き出しました: %s", "written: %s"},
    [SK_MSG_WRITTEN_NOTE] = {"書き出しました: %s（%s）", "written: %s (%s)"},
    [SK_MSG_FINDINGS_NOTE] = {"指摘 %d 件", "%d findings"},
    [SK_MSG_CANNOT_WRITE] = {"出力を書き込めません: %s", "cannot write the output: %s"},
    [SK_MSG_NOMEM] = {"メモリが足りません", "out of memory"},
    [SK_MSG_RAISE_LIMIT] = {"。信頼できるファイルなら %.*s N で上限を上げられます",
                            "; if the file is trusted, raise the limit with %.*s N"},
    [SK_MSG_UNREADABLE] = {"読み込めません", "unreadable"},
    [SK_MSG_BATCH_PROGRESS] = {"処理中 %zu/%zu 件 (%.1f 件/秒, 不備あり %zu, 読み込めない %zu, 残り %s)",
                               "%zu/%zu files (%.1f files/s, deficient %zu, unreadable %zu, ETA %s)"},
    [SK_MSG_BATCH_TALLY] = {"読み込み %zu 件（不備あり %zu 件）、読み込めない %zu 件、スキップ %zu 件",
                            "%zu read (%zu with deficiencies), %zu unreadable, %zu skipped"},
    [SK_MSG_BATCH_TALLY_END] = {"、%.1f 秒。集計: %s/summary.xlsx", ", %.1f s; summary: %s/summary.xlsx"},
    [SK_MSG_BATCH_TALLY_NO_SUMMARY] = {"、%.1f 秒。書き込めない出力があったため集計は書き出していません（前回の集計はそのまま）",
                                       ", %.1f s; some outputs could not be written: no summary written (an earlier one "
                                       "is left as it was)"},
    [SK_MSG_LIST_OPEN] = {"（", " ("},
    [SK_MSG_LIST_SEP] = {"、", ", "},
    [SK_MSG_LIST_CLOSE] = {"）", ")"},
    [SK_MSG_BAD_RANGE] = {"%s: %llu から %llu までの整数を指定してください: '%s'",
                          "%s: expected an integer from %llu to %llu: '%s'"},
    [SK_MSG_BAD_SECONDS] = {"--max-seconds: 0.01 から 86400 までの秒数を指定してください: '%s'",
                            "--max-seconds: expected seconds from 0.01 to 86400: '%s'"},
    [SK_MSG_BAD_ENCODING] = {"--encoding: utf-8 か cp932 を指定してください: '%s'",
                             "--encoding: expected utf-8 or cp932: '%s'"},
    [SK_MSG_BAD_FORMAT] = {"-f: %s か %s を指定してください: '%s'", "-f: expected %s or %s: '%s'"},
    [SK_MSG_BAD_HEADER] = {"--header: ja か en を指定してください: '%s'", "--header: expected ja or en: '%s'"},
    [SK_MSG_BAD_LAYOUT] = {"--layout: long か item を指定してください: '%s'", "--layout: expected long or item: '%s'"},
    [SK_MSG_CP932_CSV_ONLY] = {"--encoding cp932 は -f csv でのみ使えます", "--encoding cp932 is for -f csv only"},
    [SK_MSG_CSV_ONLY] = {"--no-bom, --header, --layout, --cp932-fallback は -f csv でのみ使えます",
                         "--no-bom, --header, --layout and --cp932-fallback are for -f csv only"},
    [SK_MSG_FALLBACK_NEEDS_CP932] = {"--cp932-fallback は --encoding cp932 とともに使います",
                                     "--cp932-fallback needs --encoding cp932"},
    [SK_MSG_CP932_REPLACED] = {"%s: %s: 「%s」(U+%04X) は CP932 にないため 〓 に置き換えました",
                               "%s: %s: \"%s\" (U+%04X) is not in CP932; replaced by 〓"},
    [SK_MSG_NO_BATCH_INPUT] = {"入力のフォルダかファイルを指定してください", "give the input folders or files"},
    [SK_MSG_OUTDIR_REQUIRED] = {"-o で出力フォルダを指定してください", "the output folder is required (-o OUTDIR)"},
    [SK_MSG_NO_WORKBOOKS] = {"ブック（.xlsx, .xlsm）が見つかりません", "no workbooks (.xlsx, .xlsm) found"},
    [SK_MSG_DIFF_TWO_INPUTS] = {"前回と今回のファイルを指定してください (OLD NEW)",
                                "give the previous and the new file (OLD NEW)"},
    [SK_MSG_FILL_ONE_INPUT] = {"回答ファイル（JSON）を 1 つ指定してください", "give one answers file (ANSWERS.json)"},
    [SK_MSG_BAD_SOURCE_DATE] = {"SOURCE_DATE_EPOCH が正しくありません（1970 年からの秒数）: '%s'",
                                "SOURCE_DATE_EPOCH: expected seconds since 1970: '%s'"},
    [SK_MSG_SHEET_PREVIOUS] = {"--sheet と --previous は同時に使えません",
                               "--sheet does not combine with --previous yet"},
    [SK_MSG_EXTRA_ARGUMENT] = {"余分な引数です: %s", "unexpected argument: %s"},
    [SK_MSG_RULES_ALONE] = {"--rules/--due は --template 以外のオプションと併用できません",
                            "--rules and --due take only --template"},
    [SK_MSG_BAD_DATE] = {"日付が正しくありません: '%s'（YYYY-MM-DD の実在する日付）",
                         "bad date '%s' (expected YYYY-MM-DD, a real date)"},
    [SK_MSG_NO_FREE_NAME] = {"checklist.xlsx から checklist (99).xlsx まで既にあります。-o で出力先を指定してください",
                             "checklist.xlsx to checklist (99).xlsx all exist; give -o"},
    [SK_MSG_CANNOT_FLUSH] = {"出力をディスクに書き切れません", "cannot flush the outputs to disk"},
    [SK_MSG_PREVIOUS_TALLY] = {"前回比: 対応付け %zu 件、対応なし %zu 件。一覧: %s/previous.xlsx",
                               "since previous: %zu paired, %zu unpaired; list: %s/previous.xlsx"},
    [SK_MSG_CANNOT_WRITE_PREFIX] = {"書き込めません：", "cannot write: "},
    [SK_MSG_SETTINGS_NOT_KEY_VALUE] = {"「キー=値」の形ではありません", "expected key=value"},
    [SK_MSG_SETTINGS_UNKNOWN_KEY] = {"不明なキーです「%.60s」（to, from, deadline, project, for, paper、または 宛先, 差出人, 回答期限, 事業名, 回答者, 用紙）",
                 "unknown key '%.60s'; expected to, from, deadline, project, for, paper"},
    [SK_MSG_SETTINGS_REPEATED_KEY] = {"同じキーが 2 回あります", "repeated key"},
    [SK_MSG_SETTINGS_NOT_UTF8] = {"値が UTF-8 ではありません", "the value is not UTF-8"},
    [SK_MSG_SETTINGS_TOO_LONG] = {"値が長すぎます（%d バイトまで）", "value longer than %d bytes"},
    [SK_MSG_SETTINGS_CANNOT_OPEN] = {"設定ファイルを開けません: %s", "cannot open the settings file: %s"},
    [SK_MSG_SETTINGS_CANNOT_READ] = {"設定ファイルを読めません", "cannot read the settings file"},
    [SK_MSG_SETTINGS_TOO_BIG] = {"設定ファイルが大きすぎます（%d KiB まで）", "the settings file is larger than %d KiB"},
    [SK_MSG_SETTINGS_NOT_TEXT] = {"テキストファイルではありません（NUL バイトがあります）", "not a text file (NUL byte)"},
    [SK_MSG_BAD_DEADLINE] = {"%s: 日付は YYYY-MM-DD で指定してください: '%s'", "%s: expected a date YYYY-MM-DD: '%s'"},
    [SK_MSG_BAD_FOR] = {"%s: provider か contractor を指定してください: '%s'", "%s: expected provider or contractor: '%s'"},
    [SK_MSG_BAD_PAPER] = {"%s: a3 か a4 を指定してください: '%s'", "%s: expected a3 or a4: '%s'"},
    [SK_MSG_WORKER_MEMORY_MIN] = {"--max-memory-bytes: ワーカー 1 つに少なくとも %d バイト (128 MiB) が必要です",
                 "--max-memory-bytes: a worker needs at least %d bytes (128 MiB)"},
    [SK_MSG_ULIMIT_TOO_SMALL] = {"メモリの上限（ulimit -v: %llu バイト）が小さすぎます。ワーカーには少なくとも %d バイトが必要です",
                 "the address-space limit in force (ulimit -v: %llu bytes) is below the %d bytes a worker needs"},
    [SK_MSG_ULIMIT_APPLIES] = {"メモリの上限を %llu バイトにできません。有効な上限 %llu バイト（ulimit -v）で処理します",
                 "cannot set the memory limit to %llu bytes; the limit in force, %llu bytes (ulimit -v), applies"},
    [SK_MSG_BATCH_INTERRUPTED] = {"中断しました（%s）。処理済み %zu 件、未処理 %zu 件。集計（中断）: %s",
                 "interrupted (%s); %zu files done, %zu not processed; summary (interrupted): %s"},
    [SK_MSG_BATCH_INTERRUPTED_NO_SUMMARY] = {"中断しました（%s）。処理済み %zu 件、未処理 %zu 件。集計は書き出していません",
                 "interrupted (%s); %zu files done, %zu not processed; no summary written"},
    [SK_MSG_INTERRUPTED] = {"中断しました。出力は書き出していません", "interrupted; no output written"},
    [SK_MSG_PREV_NO_KEY] = {"前回のファイルが見つかりません（同じパスがなく、利用する外部サービスの記載もありません）",
                 "no previous file: no file at the same path, and no service name to match"},
    [SK_MSG_PREV_NONE] = {"前回のファイルが見つかりません（同じパスも、同じサービス名「%s」のファイルもありません）",
                 "no previous file: none at the same path or with the service \"%s\""},
    [SK_MSG_PREV_AMBIGUOUS_OLD] = {"前回のファイルを特定できません（サービス名「%s」のファイルが複数あります: %s）",
                 "ambiguous: several previous files have the service \"%s\": %s"},
    [SK_MSG_PREV_AMBIGUOUS_NEW] = {"前回のファイルを特定できません（今回もサービス名「%s」のファイルが複数あります）",
                 "ambiguous: several files of this round have the service \"%s\""},
    [SK_MSG_PREV_THIS_UNREADABLE] = {"今回のファイルを読み込めません", "this round's file could not be read"},
    [SK_MSG_PREV_NOT_PAIRED] = {"今回のファイルと対応付けられませんでした", "no file of this round was paired with it"},
};
_Static_assert(sizeof messages / sizeof messages[0] == SK_MSG__COUNT,
               "messages[] and sk_msg_id must list the same messages");

static sk_lang current_lang = SK_LANG_JA;

void sk_msg_set_lang(sk_lang lang)
{
    current_lang = lang;
}

sk_lang sk_msg_lang(void)
{
    return current_lang;
}

const char *sk_msg_text(sk_msg_id id, sk_lang lang)
{
    if ((unsigned)id >= SK_MSG__COUNT)
        return "?";
    return lang == SK_LANG_EN ? messages[id].en : messages[id].ja;
}

const char *sk_msg(sk_msg_id id)
{
    return sk_msg_text(id, current_lang);
}

void sk_msg_print(FILE *fp, sk_msg_id id, ...)
{
    va_list ap;
    va_start(ap, id);
    /* the format is one of the catalogue's constant strings; the unit test
     * checks that both languages take the same conversions */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vfprintf(fp, sk_msg(id), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

char *sk_msg_format(char *buf, size_t cap, sk_lang lang, sk_msg_id id, ...)
{
    va_list ap;
    va_start(ap, id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, cap, sk_msg_text(id, lang), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    return buf;
}
