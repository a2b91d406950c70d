/* sechk — the language of messages, labels and reasons.
 *
 * Every module that words something for a person takes an sk_lang: Japanese
 * (the default) or English.  Kept apart from the answers so that a module
 * that only words things (walk, the CLI's catalogue) needs nothing else.
 */
#ifndef SECHK_LANG_H
#define SECHK_LANG_H

typedef enum sk_lang { SK_LANG_JA = 0, SK_LANG_EN } sk_lang;

#endif
