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
    [SK_MSG_BAD_PHASE] = {"--phase: 不明な段階です '%s'（%s）", "--phase: unknown phase '%s' (%s)"},
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
    [SK_MSG_BATCH_TALLY_NO_SUMMARY] =
        {"、%.1f 秒。書き込めない出力があったため集計は書き出していません（前回の集計はそのまま）",
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
    [SK_MSG_SETTINGS_UNKNOWN_KEY] = {"不明なキーです「%.60s」（to, from, deadline, project, for, paper、または 宛先, "
                                     "差出人, 回答期限, 事業名, 回答者, 用紙）",
                                     "unknown key '%.60s'; expected to, from, deadline, project, for, paper"},
    [SK_MSG_SETTINGS_REPEATED_KEY] = {"同じキーが 2 回あります", "repeated key"},
    [SK_MSG_SETTINGS_NOT_UTF8] = {"値が UTF-8 ではありません", "the value is not UTF-8"},
    [SK_MSG_SETTINGS_TOO_LONG] = {"値が長すぎます（%d バイトまで）", "value longer than %d bytes"},
    [SK_MSG_SETTINGS_CANNOT_OPEN] = {"設定ファイルを開けません: %s", "cannot open the settings file: %s"},
    [SK_MSG_SETTINGS_CANNOT_READ] = {"設定ファイルを読めません", "cannot read the settings file"},
    [SK_MSG_SETTINGS_TOO_BIG] = {"設定ファイルが大きすぎます（%d KiB まで）",
                                 "the settings file is larger than %d KiB"},
    [SK_MSG_SETTINGS_NOT_TEXT] = {"テキストファイルではありません（NUL バイトがあります）",
                                  "not a text file (NUL byte)"},
    [SK_MSG_BAD_DEADLINE] = {"%s: 日付は YYYY-MM-DD で指定してください: '%s'", "%s: expected a date YYYY-MM-DD: '%s'"},
    [SK_MSG_BAD_FOR] = {"%s: provider か contractor を指定してください: '%s'",
                        "%s: expected provider or contractor: '%s'"},
    [SK_MSG_BAD_PAPER] = {"%s: a3 か a4 を指定してください: '%s'", "%s: expected a3 or a4: '%s'"},
    [SK_MSG_WORKER_MEMORY_MIN] = {"--max-memory-bytes: ワーカー 1 つに少なくとも %d バイト (128 MiB) が必要です",
                                  "--max-memory-bytes: a worker needs at least %d bytes (128 MiB)"},
    [SK_MSG_ULIMIT_TOO_SMALL] =
        {"メモリの上限（ulimit -v: %llu バイト）が小さすぎます。ワーカーには少なくとも %d バイトが必要です",
         "the address-space limit in force (ulimit -v: %llu bytes) is below the %d bytes a worker needs"},
    [SK_MSG_ULIMIT_APPLIES] =
        {"メモリの上限を %llu バイトにできません。有効な上限 %llu バイト（ulimit -v）で処理します",
         "cannot set the memory limit to %llu bytes; the limit in force, %llu bytes (ulimit -v), applies"},
    [SK_MSG_BATCH_INTERRUPTED] = {"中断しました（%s）。処理済み %zu 件、未処理 %zu 件。集計（中断）: %s",
                                  "interrupted (%s); %zu files done, %zu not processed; summary (interrupted): %s"},
    [SK_MSG_BATCH_INTERRUPTED_NO_SUMMARY] =
        {"中断しました（%s）。処理済み %zu 件、未処理 %zu 件。集計は書き出していません",
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
    [SK_MSG_HELP_MAIN] =
        {"使い方 / usage:\n"
         "  sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD] [--paper a3|a4]\n"
         "  sechk extract  FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
         "  sechk check    FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en]\n"
         "  sechk review   FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en] [--previous OLD] [--to NAME] …\n"
         "  sechk fill     ANSWERS.json -o OUT.xlsx\n"
         "  sechk batch    DIR|FILE... -o OUTDIR [-j N] [--phase PHASE] [--previous OLDDIR] [--to NAME] …\n"
         "  sechk diff     OLD NEW [-f text|json] [-o DIFF.xlsx]\n"
         "  sechk help [COMMAND|limits]\n"
         "  sechk --help | --version\n"
         "\n"
         "  template  白紙のチェックリストを作成する (write a blank checklist workbook)\n"
         "  extract   回答を JSON / CSV に取り出す (read answers into JSON or CSV)\n"
         "  check     要件に照らして不備・不適合を報告する (report deficiencies)\n"
         "  review    指摘付きの確認用ブックと再回答依頼を作成する (write an annotated review copy and letter)\n"
         "  fill      JSON の回答からブックを作成する (write a workbook from JSON answers)\n"
         "  batch     フォルダ内の提出物をまとめて処理する (process whole folders)\n"
         "  diff      前回の提出物と比較する (compare with the previous submission)\n"
         "\n"
         "  help      コマンドの説明か入力の上限を表示する (a command's help, or the input limits)\n"
         "\n"
         "'sechk help COMMAND' (= 'sechk COMMAND --help') で各コマンドの詳細を、'sechk help limits' で\n"
         "入力の上限 (--max-…) を表示します (a command's options; the input limits).\n"
         "メッセージは日本語、--lang en で英語 (messages in Japanese; English with --lang en).\n"
         "終了ステータス / exit status: 0 問題なし (ok), 1 不備・不適合あり (findings), 2 エラー (error)\n",
         "usage:\n"
         "  sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD] [--paper a3|a4]\n"
         "  sechk extract  FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
         "  sechk check    FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en]\n"
         "  sechk review   FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en] [--previous OLD] [--to NAME] ...\n"
         "  sechk fill     ANSWERS.json -o OUT.xlsx\n"
         "  sechk batch    DIR|FILE... -o OUTDIR [-j N] [--phase PHASE] [--previous OLDDIR] [--to NAME] ...\n"
         "  sechk diff     OLD NEW [-f text|json] [-o DIFF.xlsx]\n"
         "  sechk help [COMMAND|limits]\n"
         "  sechk --help | --version\n"
         "\n"
         "  template  write a blank checklist workbook\n"
         "  extract   read answers into JSON or CSV\n"
         "  check     report deficiencies against the requirements\n"
         "  review    write an annotated review copy (and a letter asking for corrections)\n"
         "  fill      write a workbook from JSON answers\n"
         "  batch     process whole folders of submissions\n"
         "  diff      compare with the previous submission\n"
         "\n"
         "  help      a command's help, or the input limits\n"
         "\n"
         "'sechk help COMMAND' (= 'sechk COMMAND --help') shows a command's options; 'sechk help limits'\n"
         "the input limits (--max-...).\n"
         "Messages are in Japanese; in English with --lang en.\n"
         "exit status: 0 ok, 1 findings, 2 error\n"},
    [SK_MSG_HELP_TEMPLATE] =
        {"使い方: sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD]\n"
         "                       [--template FILE] [--paper a3|a4]\n"
         "       sechk template --rules|--due [--template FILE]\n"
         "白紙のセキュリティチェックリスト（.xlsx）を作成します。\n"
         "Writes a blank checklist workbook.\n"
         "\n"
         "  -o, --output OUT.xlsx   出力ファイル (default: checklist.xlsx; 既にあれば checklist (2).xlsx "
         "…、上書きしない;\n                          never overwrites)\n"
         "      --project NAME      事業名 (the project's name)\n"
         "      --service NAME      利用する外部サービス (the external service)\n"
         "      --date YYYY-MM-DD   作成日・更新日 (the date; default: today)\n"
         "      --template FILE     チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --paper a3|a4       印刷の用紙 (paper; default: a3, landscape, one page wide)\n"
         "      --rules             確認規則の一覧（docs/rules.md の表, Markdown）を標準出力に出す\n"
         "                          (print the table of rules as Markdown instead of writing a workbook)\n"
         "      --due               いつ回答が必要か（docs/rules.md の表, Markdown）を標準出力に出す\n"
         "                          (print the table of when each block is due as Markdown)\n"
         "      --lang ja|en        メッセージの言語 (the messages' language; default: ja)\n"
         "  -h, --help              この説明 (this help)\n",
         "usage: sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD]\n"
         "                      [--template FILE] [--paper a3|a4]\n"
         "       sechk template --rules|--due [--template FILE]\n"
         "Writes a blank checklist workbook.\n"
         "\n"
         "  -o, --output OUT.xlsx   the output (default: checklist.xlsx; if it exists, checklist (2).xlsx ...;\n"
         "                          never overwrites)\n"
         "      --project NAME      the project's name (事業名)\n"
         "      --service NAME      the external service (利用する外部サービス)\n"
         "      --date YYYY-MM-DD   the date made and updated (default: today)\n"
         "      --template FILE     the checklist template (default: built-in)\n"
         "      --paper a3|a4       the paper (default: a3, landscape, one page wide)\n"
         "      --rules             print the table of rules (docs/rules.md) as Markdown instead of writing a "
         "workbook\n"
         "      --due               print the table of when each block is due (docs/rules.md) as Markdown\n"
         "      --lang ja|en        the messages' language (default: ja)\n"
         "  -h, --help              this help\n"},
    [SK_MSG_HELP_EXTRACT] =
        {"使い方: sechk extract FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
         "                      [--phase PHASE] [--lang ja|en] [--template FILE] [--sheet NAME|N]\n"
         "記入済みのチェックリストから回答（■/□ と記入された文字）を取り出します。\n"
         "Reads filled checklists into structured answers (JSON: sechk/answers-v1, or CSV).\n"
         "\n"
         "  -f, --format json|csv     出力形式 (output format; default: json; several files give a JSON array)\n"
         "      --encoding utf-8|cp932  CSV の文字コード (encoding; default: utf-8; cp932 for Excel on Japanese "
         "Windows)\n"
         "      --no-bom              UTF-8 の CSV に BOM を付けない (default: BOM, so Excel opens it as UTF-8)\n"
         "      --header ja|en        CSV の見出しと回答欄・種別の表記 (header and values in ja|en; default: en)\n"
         "      --layout long|item    CSV の形: 選択肢・記入欄ごとに 1 行 (long, default) か、項目と回答欄ごとに\n"
         "                            1 行 (item: チェックした選択肢を「、」でつなぎ、記入欄ごとに 1 列)\n             "
         "               (one row per option, or one per item with the checked labels joined)\n"
         "      --cp932-fallback      CP932 にない文字を 〓 に置き換え、標準エラーに一覧する\n                         "
         "   (replace what CP932 cannot hold with 〓 and list it; default: error)\n"
         "  -o, --output OUT          出力ファイル (the output; default: standard output)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto)\n"
         "      --lang ja|en          メッセージの言語 (the messages' language; default: ja)\n"
         "      --template FILE       チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: "
         "記入済みのチェックリストを自動で選ぶ)\n                            (the sheet to read, by name or number; "
         "default: the filled checklist)\n"
         "  -h, --help                この説明 (this help)\n",
         "usage: sechk extract FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
         "                     [--phase PHASE] [--lang ja|en] [--template FILE] [--sheet NAME|N]\n"
         "Reads filled checklists into structured answers (JSON: sechk/answers-v1, or CSV).\n"
         "\n"
         "  -f, --format json|csv     output format (default: json; several files give a JSON array)\n"
         "      --encoding utf-8|cp932  the CSV's encoding (default: utf-8; cp932 for Excel on Japanese Windows)\n"
         "      --no-bom              no BOM in a UTF-8 CSV (default: a BOM, so that Excel opens it as UTF-8)\n"
         "      --header ja|en        the CSV's header and the answer columns' and kinds' words (default: en)\n"
         "      --layout long|item    the CSV's shape: one row per option or slot (long, default), or one row per\n"
         "                            item and answer column (item: the checked labels joined with 「、」, one\n"
         "                            column per slot)\n"
         "      --cp932-fallback      replace what CP932 cannot hold with 〓 and list each on standard error\n"
         "                            (default: an error naming the cell)\n"
         "  -o, --output OUT          the output (default: standard output)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto)\n"
         "      --lang ja|en          the messages' language (default: ja)\n"
         "      --template FILE       the checklist template (default: built-in)\n"
         "      --sheet NAME|N        the sheet to read, by name or number from 1 (default: the filled checklist,\n"
         "                            found automatically)\n"
         "  -h, --help                this help\n"},
    [SK_MSG_HELP_CHECK] =
        {"使い方: sechk check FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en] [--template FILE] [--sheet "
         "NAME|N]\n"
         "記入済みのチェックリストを要件に照らして確認し、不備・不適合を報告します。\n"
         "Checks filled checklists against the requirement rules and reports findings.\n"
         "\n"
         "  -f, --format text|json    出力形式 (output format; default: text)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto: the phase that answered later-phase blocks show,\n"
         "                            else selection)\n"
         "      --lang ja|en          メッセージの言語 (the messages' language; default: ja)\n"
         "  -o, --output OUT          出力ファイル (the output; default: standard output)\n"
         "      --template FILE       チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: "
         "記入済みのチェックリストを自動で選ぶ)\n                            (the sheet to read, by name or number; "
         "default: the filled checklist)\n"
         "  -h, --help                この説明 (this help)\n"
         "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 読めない入力・使い方の誤り\n(exit status: 0 no error, 1 "
         "findings, 2 an unreadable input or a usage error)\n",
         "usage: sechk check FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en] [--template FILE] [--sheet "
         "NAME|N]\n"
         "Checks filled checklists against the requirement rules and reports deficiencies and non-conformities.\n"
         "\n"
         "  -f, --format text|json    output format (default: text)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto: the phase that answered later-phase blocks show,\n"
         "                            else selection)\n"
         "      --lang ja|en          the messages' language (default: ja)\n"
         "  -o, --output OUT          the output (default: standard output)\n"
         "      --template FILE       the checklist template (default: built-in)\n"
         "      --sheet NAME|N        the sheet to read, by name or number from 1 (default: the filled checklist,\n"
         "                            found automatically)\n"
         "  -h, --help                this help\n"
         "exit status: 0 no error, 1 findings, 2 an unreadable input or a usage error\n"},
    [SK_MSG_HELP_REVIEW] =
        {"使い方: sechk review FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en] [--previous OLD] [--template "
         "FILE]\n"
         "                     [--sheet NAME|N] [--to NAME] [--from NAME] [--deadline YYYY-MM-DD] [--project NAME]\n"
         "                     [--for provider|contractor] [--paper a3|a4] [--settings FILE]\n"
         "記入済みのチェックリストを確認し、指摘付きの確認用ブック（サマリー、チェックリスト、指摘事項）を作成します。"
         "\n"
         "Writes an annotated review copy: a summary sheet, the checklist with problem cells highlighted and\n"
         "commented, and a findings sheet to send back to the answerer.\n"
         "\n"
         "  -o, --output OUT.xlsx     出力ファイル (the output; required; never the input itself)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto: the phase that answered later-phase blocks show,\n"
         "                            else selection)\n"
         "      --lang ja|en          見出しとメッセージの言語 (headings and messages; default: ja)\n"
         "      --previous OLD        前回の提出物（ブック、返送された確認用ブック、回答 JSON）と比較し、\n"
         "                            「前回との比較」シート、サマリーの解消・継続・新規の件数、指摘ごとの\n"
         "                            継続／新規と前回の回答者コメントを加える (compare with the previous round)\n"
         "      --template FILE       チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: "
         "記入済みのチェックリストを自動で選ぶ)\n                            (the sheet to read, by name or number; "
         "default: the filled checklist)\n"
         "  -h, --help                この説明 (this help)\n"
         "環境変数 SOURCE_DATE_EPOCH "
         "があれば、その時刻を確認日時・作成日時とします（出力を比較するため）。\n(SOURCE_DATE_EPOCH, if set, is the "
         "review's date, for repeatable outputs.)\n"
         "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 読めない入力・使い方の誤り\n(exit status: 0 no error, 1 "
         "findings, 2 an unreadable input or a usage error)\n",
         "usage: sechk review FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en] [--previous OLD] [--template FILE]\n"
         "                    [--sheet NAME|N] [--to NAME] [--from NAME] [--deadline YYYY-MM-DD] [--project NAME]\n"
         "                    [--for provider|contractor] [--paper a3|a4] [--settings FILE]\n"
         "Writes an annotated review copy: a summary sheet, the checklist with problem cells highlighted and\n"
         "commented, and a findings sheet to send back to the answerer.\n"
         "\n"
         "  -o, --output OUT.xlsx     the output (required; never the input itself)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto: the phase that answered later-phase blocks show,\n"
         "                            else selection)\n"
         "      --lang ja|en          the language of headings and messages (default: ja)\n"
         "      --previous OLD        compare with the previous round (a workbook, a returned review copy or\n"
         "                            answers JSON): adds a 前回との比較 sheet, the counts resolved, open and new\n"
         "                            on the summary, and for each finding whether it is open or new with the\n"
         "                            answerer's earlier reply\n"
         "      --template FILE       the checklist template (default: built-in)\n"
         "      --sheet NAME|N        the sheet to read, by name or number from 1 (default: the filled checklist,\n"
         "                            found automatically)\n"
         "  -h, --help                this help\n"
         "SOURCE_DATE_EPOCH, if set, is the review's date and the file's creation time, for repeatable outputs.\n"
         "exit status: 0 no error, 1 findings, 2 an unreadable input or a usage error\n"},
    [SK_MSG_HELP_FILL] =
        {"使い方: sechk fill ANSWERS.json -o OUT.xlsx [--project NAME] [--template FILE]\n"
         "JSON の回答（sechk extract の出力形式 sechk/answers-v1）からチェックリストを作成します。\n"
         "Writes a checklist workbook from JSON answers (the format sechk extract writes).\n"
         "\n"
         "  -o, --output OUT.xlsx   出力ファイル (the output; required)\n"
         "      --project NAME      事業名 (the project's name)\n"
         "      --template FILE     チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --lang ja|en        メッセージの言語 (the messages' language; default: ja)\n"
         "  -h, --help              この説明 (this help)\n",
         "usage: sechk fill ANSWERS.json -o OUT.xlsx [--project NAME] [--template FILE]\n"
         "Writes a checklist workbook from JSON answers (sechk/answers-v1, the format sechk extract writes).\n"
         "\n"
         "  -o, --output OUT.xlsx   the output (required)\n"
         "      --project NAME      the project's name (事業名)\n"
         "      --template FILE     the checklist template (default: built-in)\n"
         "      --lang ja|en        the messages' language (default: ja)\n"
         "  -h, --help              this help\n"},
    [SK_MSG_HELP_BATCH] =
        {"使い方: sechk batch DIR|FILE... -o OUTDIR [-j N] [--phase PHASE] [--lang ja|en] [--no-review]\n"
         "                    [--encoding utf-8|cp932] [--template FILE] [--sheet NAME|N] [--previous OLDDIR]\n"
         "                    [--max-seconds S] [--max-memory-bytes N] [--to NAME] [--from NAME]\n"
         "                    [--deadline YYYY-MM-DD] [--project NAME] [--for provider|contractor]\n"
         "                    [--paper a3|a4] [--settings FILE]\n"
         "フォルダ内の提出物（.xlsx, .xlsm）をまとめて読み込み・確認し、ファイルごとの結果と集計表を書き出します。\n"
         "Reads and checks every workbook under the given folders, in parallel worker processes; writes\n"
         "per-file results mirroring the input folders, and an aggregate summary.\n"
         "\n"
         "  -o, --output OUTDIR       出力フォルダ (the output folder; required; created if needed; may lie inside an "
         "input\n"
         "                            folder, whose walk then skips it)\n"
         "  -j, --jobs N              ワーカープロセスの数 (worker processes; default: the number of processors)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto)\n"
         "      --lang ja|en          メッセージ・見出しの言語 (messages and headings; default: ja)\n"
         "      --no-review           確認用ブック NAME.review.xlsx を書かない (JSON and summary only)\n"
         "      --encoding utf-8|cp932  summary.csv の文字コード (encoding; default: utf-8 with BOM)\n"
         "      --template FILE       チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: "
         "記入済みのチェックリストを自動で選ぶ)\n                            (the sheet to read, by name or number; "
         "default: the filled checklist)\n"
         "      --previous OLDDIR     前回のフォルダと比較: パス、なければ利用する外部サービス名で対応付け、\n"
         "                            NAME.diff.json, 確認用ブックに「前回との比較」, 集計に前回比の列と\n"
         "                            「前回と対応なし」シート, previous.xlsx/.csv を書く (compare with OLDDIR)\n"
         "      --max-seconds S       1 ファイルの処理時間の上限・秒、小数可 (wall clock and CPU; default 60)\n"
         "      --max-memory-bytes N  ワーカー 1 つのメモリ（アドレス空間）の上限 (memory per worker; default "
         "1073741824 = 1 GiB)\n"
         "  -h, --help                この説明 (this help)\n"
         "\n"
         "出力 / outputs (OUTDIR):\n"
         "  NAME.json, NAME.review.xlsx  入力フォルダの構成を保って (NAME: the input's path without extension)\n"
         "  summary.xlsx                 一覧・指摘事項・読み込めないファイル (files, findings, unreadable)\n"
         "  summary.csv                  一覧シートと同じ内容 (sheet 1 as CSV)\n"
         "スキップ / skipped: ~$ ロックファイル, 隠しファイル, ブック以外 (.xls, .xlsb, .ods are read and\n"
         "  reported as unreadable so that no submission goes unnoticed)\n"
         "SOURCE_DATE_EPOCH: 作成日時として記録 (else each input's modification time)\n"
         "\n"
         "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 "
         "読めない入力あり（他のファイルは処理済み）・使い方の誤り\n"
         "  ・書き込めない出力あり, 130/143/129 SIGINT/SIGTERM/SIGHUP で中断（処理済みの分の集計を書き出します）\n"
         "(exit status: 0 no error, 1 findings, 2 an unreadable input (the others are done), a usage error or an\n"
         " output that could not be written, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (the summary of\n"
         " the files done is written))\n",
         "usage: sechk batch DIR|FILE... -o OUTDIR [-j N] [--phase PHASE] [--lang ja|en] [--no-review]\n"
         "                   [--encoding utf-8|cp932] [--template FILE] [--sheet NAME|N] [--previous OLDDIR]\n"
         "                   [--max-seconds S] [--max-memory-bytes N] [--to NAME] [--from NAME]\n"
         "                   [--deadline YYYY-MM-DD] [--project NAME] [--for provider|contractor]\n"
         "                   [--paper a3|a4] [--settings FILE]\n"
         "Reads and checks every workbook (.xlsx, .xlsm) under the given folders, in parallel worker processes;\n"
         "writes per-file results mirroring the input folders, and an aggregate summary.\n"
         "\n"
         "  -o, --output OUTDIR       the output folder (required; created if needed; may lie inside an input\n"
         "                            folder, whose walk then skips it)\n"
         "  -j, --jobs N              worker processes (default: the number of processors)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
         "                            (default: auto)\n"
         "      --lang ja|en          the language of messages and headings (default: ja)\n"
         "      --no-review           no review copy NAME.review.xlsx (JSON and summary only)\n"
         "      --encoding utf-8|cp932  summary.csv's encoding (default: utf-8 with a BOM)\n"
         "      --template FILE       the checklist template (default: built-in)\n"
         "      --sheet NAME|N        the sheet to read, by name or number from 1 (default: the filled checklist,\n"
         "                            found automatically)\n"
         "      --previous OLDDIR     compare with the previous round's folder: paired by path, else by the\n"
         "                            external service's name; writes NAME.diff.json, a 前回との比較 sheet in each\n"
         "                            review copy, 前回比 columns and a 前回と対応なし sheet in the summary, and\n"
         "                            previous.xlsx/.csv\n"
         "      --max-seconds S       time limit per file, in seconds, decimals allowed (wall clock and CPU;\n"
         "                            default 60)\n"
         "      --max-memory-bytes N  memory (address space) per worker (default 1073741824 = 1 GiB)\n"
         "  -h, --help                this help\n"
         "\n"
         "outputs (OUTDIR):\n"
         "  NAME.json, NAME.review.xlsx  mirroring the input folders (NAME: the input's path without extension)\n"
         "  summary.xlsx                 files, findings, unreadable files\n"
         "  summary.csv                  the files sheet as CSV\n"
         "skipped: ~$ lock files, hidden files, files that are not workbooks (.xls, .xlsb, .ods are read and\n"
         "  reported as unreadable so that no submission goes unnoticed)\n"
         "SOURCE_DATE_EPOCH: recorded as the creation time (else each input's modification time)\n"
         "\n"
         "exit status: 0 no error, 1 findings, 2 an unreadable input (the others are done), a usage error or an\n"
         "  output that could not be written, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (the summary of\n"
         "  the files done is written)\n"},
    [SK_MSG_HELP_DIFF] =
        {"使い方: sechk diff OLD NEW [-f text|json] [-o DIFF.xlsx] [--phase PHASE] [--lang ja|en]\n"
         "                   [--template FILE] [--old-template FILE]\n"
         "前回の提出物（OLD）と今回の提出物（NEW）の回答を比較します。OLD・NEW はそれぞれ提出されたブック、\n"
         "sechk が書いた確認用ブック（回答者コメント欄と修正後のチェックリストを読みます）、回答の JSON\n"
         "（sechk/answers-v1）のいずれかです。項目は No. と回答欄で対応付けるため、行の挿入や表の移動は影響しません。\n"
         "Compares a resubmission (NEW) with the previous round (OLD): options checked or unchecked, values\n"
         "changed, template text altered, item status, and each finding resolved (解消), open (継続) or new\n"
         "(新規), with the vendor's reply from a returned review copy.  Changes of the provider column, and a\n"
         "contractor answer going from 済 back to 予定 or 対象外, are flagged 乖離 (to be reported and approved).\n"
         "\n"
         "  -f, --format text|json    出力形式 (output format; default: text; json: sechk/diff-v1, "
         "docs/diff-format.md)\n"
         "  -o, --output DIFF.xlsx    変更点シートと、変更箇所に色とコメントを付けた今回のチェックリストを書く\n       "
         "                     (a 変更点 sheet and NEW's checklist with the changes coloured)\n"
         "                            SOURCE_DATE_EPOCH があればその時刻を作成日時とします (SOURCE_DATE_EPOCH, if set, is its\n"
         "                            creation time)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto (default: auto, per file)\n"
         "      --lang ja|en          メッセージの言語 (the messages' language; default: ja)\n"
         "      --template FILE       チェックリスト定義ファイル (the checklist template; default: built-in)\n"
         "      --old-template FILE   OLD を読む定義ファイル (OLD's template; default: the same as NEW)\n"
         "  -h, --help                この説明 (this help)\n"
         "終了ステータス: 0 変更なし, 1 変更あり, 2 読めない入力・使い方の誤り\n(exit status: 0 no change, 1 changes, "
         "2 an unreadable input or a usage error)\n",
         "usage: sechk diff OLD NEW [-f text|json] [-o DIFF.xlsx] [--phase PHASE] [--lang ja|en]\n"
         "                  [--template FILE] [--old-template FILE]\n"
         "Compares a resubmission (NEW) with the previous round (OLD). Each of OLD and NEW is a submitted\n"
         "workbook, a review copy sechk wrote (its reply column and corrected checklist are read) or answers\n"
         "JSON (sechk/answers-v1). Items are paired by No. and answer column, so inserted rows or a moved table\n"
         "do not matter. Shown: options checked or unchecked, values changed, template text altered, item\n"
         "status, and each finding resolved (解消), open (継続) or new (新規), with the vendor's reply from a\n"
         "returned review copy. Changes of the provider column, and a contractor answer going from 済 back to\n"
         "予定 or 対象外, are flagged 乖離 (to be reported and approved).\n"
         "\n"
         "  -f, --format text|json    output format (default: text; json: sechk/diff-v1, docs/diff-format.md)\n"
         "  -o, --output DIFF.xlsx    write a 変更点 sheet and NEW's checklist with the changes coloured and\n"
         "                            commented (SOURCE_DATE_EPOCH, if set, is its creation time)\n"
         "      --phase PHASE         selection|development|operation|disposal|auto (default: auto, per file)\n"
         "      --lang ja|en          the messages' language (default: ja)\n"
         "      --template FILE       the checklist template (default: built-in)\n"
         "      --old-template FILE   the template to read OLD with (default: the same as NEW)\n"
         "  -h, --help                this help\n"
         "exit status: 0 no change, 1 changes, 2 an unreadable input or a usage error\n"},
    [SK_MSG_HELP_LETTER] =
        {"  再回答依頼（指摘事項シートの頭書き） (the letter head of the findings sheet):\n"
         "      --to NAME             宛先 (addressee; 「御中」 is added)\n"
         "      --from NAME           差出人 (sender)\n"
         "      --deadline YYYY-MM-DD 回答期限 (reply by)\n"
         "      --project NAME        事業名 (default: the workbook's 事業名)\n"
         "      --for provider|contractor  その回答者への指摘だけを載せる (only that respondent's section)\n"
         "      --paper a3|a4         印刷の用紙 (paper; default: a3, landscape)\n"
         "      --settings FILE       上の値を書いた設定ファイル (key=value, UTF-8; keys to, from, deadline,\n"
         "                            project, for, paper or 宛先, 差出人, 回答期限, 事業名, 回答者, 用紙;\n"
         "                            command-line options win; see docs/settings.md)\n",
         "  the letter head of the findings sheet (a request for corrections that can be sent as it is):\n"
         "      --to NAME             the addressee (「御中」 is added)\n"
         "      --from NAME           the sender\n"
         "      --deadline YYYY-MM-DD reply by\n"
         "      --project NAME        the project's name (default: the workbook's 事業名)\n"
         "      --for provider|contractor  only that respondent's section\n"
         "      --paper a3|a4         the paper (default: a3, landscape)\n"
         "      --settings FILE       a settings file holding the values above (key=value, UTF-8; keys to, from,\n"
         "                            deadline, project, for, paper or 宛先, 差出人, 回答期限, 事業名, 回答者, 用紙;\n"
         "                            options on the command line win; see docs/settings.md)\n"},
    [SK_MSG_HELP_OPEN] =
        {"  パスワード付き・旧形式のブック (encrypted and legacy workbooks; docs/security.md):\n"
         "      --password-file FILE  パスワード: 1 行目 (one for all), または PATH<TAB>PASSWORD の行 (one per\n"
         "                            input); なければ $SECHK_PASSWORD, なければ端末で尋ねる (else asked)\n"
         "      --convert             .xls / .ods / .xlsb を LibreOffice で .xlsx に変換して読む\n"
         "                            (convert legacy formats with LibreOffice's soffice)\n",
         "  encrypted and legacy workbooks (docs/security.md):\n"
         "      --password-file FILE  the password: the first line (one for all), or PATH<TAB>PASSWORD lines\n"
         "                            (one per input); else $SECHK_PASSWORD, else asked on a terminal\n"
         "      --convert             convert .xls, .ods and .xlsb inputs to .xlsx with LibreOffice (soffice)\n"},
    [SK_MSG_PASSWORD_REFUSED] = {"パスワードはコマンドラインでは渡せません（ps で見えるため）。--password-file か"
                                 "環境変数 SECHK_PASSWORD を使ってください",
                                 "a password on the command line is visible to other users; use --password-file "
                                 "or SECHK_PASSWORD"},
    [SK_MSG_PASSWORD_PROMPT] = {"パスワード: ", "password: "},
    [SK_MSG_PWFILE_OPEN] = {"sechk: %s: パスワードファイルを開けません: %s\n",
                            "sechk: %s: cannot open the password file: %s\n"},
    [SK_MSG_PWFILE_READ] = {"sechk: %s: パスワードファイルを読めません（1 MiB まで）\n",
                            "sechk: %s: cannot read the password file (at most 1 MiB)\n"},
    [SK_MSG_HELP_LIMITS_LINE] = {"  入力の上限 (input limits): 'sechk help limits' で一覧を表示します (lists them)\n",
                                 "  input limits: 'sechk help limits' lists them\n"},
    [SK_MSG_HELP_LIMITS] =
        {"入力の上限 / input limits (docs/security.md)\n"
         "ファイルを読むコマンドに指定できます。信頼できるファイルが上限を超えたときに上げてください。\n"
         "Commands that read files take them; raise one when a trusted file exceeds it.\n"
         "\n"
         "      --max-file-bytes N    ファイルの大きさ / file size (default 104857600 = 100 MiB)\n"
         "      --max-entry-bytes N   zip の 1 エントリの展開後 / one entry unpacked (default 268435456 = 256 MiB)\n"
         "      --max-total-bytes N   展開後の合計 / all entries unpacked (default 1073741824 = 1 GiB)\n"
         "      --max-ratio N         1 MiB を超えるエントリの圧縮率 / ratio (default 100)\n"
         "      --max-entries N       zip のエントリ数 / zip entries (default 10000)\n"
         "      --max-cells N         1 シートのセル数 / cells in a sheet (default 5000000)\n"
         "      --max-strings N       共有文字列の数 / shared strings (default 5000000)\n"
         "      --max-string-bytes N  1 セルの文字列 / one cell's text (default 1048576 = 1 MiB)\n"
         "      --max-sheets N        シート数 / sheets (default 1000)\n",
         "input limits (docs/security.md)\n"
         "Commands that read files take them; raise one when a trusted file exceeds it.\n"
         "\n"
         "      --max-file-bytes N    file size (default 104857600 = 100 MiB)\n"
         "      --max-entry-bytes N   one zip entry unpacked (default 268435456 = 256 MiB)\n"
         "      --max-total-bytes N   all entries unpacked (default 1073741824 = 1 GiB)\n"
         "      --max-ratio N         compression ratio of an entry over 1 MiB (default 100)\n"
         "      --max-entries N       zip entries (default 10000)\n"
         "      --max-cells N         cells in a sheet (default 5000000)\n"
         "      --max-strings N       shared strings (default 5000000)\n"
         "      --max-string-bytes N  one cell's text (default 1048576 = 1 MiB)\n"
         "      --max-sheets N        sheets (default 1000)\n"},
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
