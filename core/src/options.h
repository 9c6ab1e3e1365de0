/* The one description of every client option: each row names an option,
 * its type, the lc_config field it sets, its limits and a line of doc. The
 * Lua constructor, the PAM configuration and the command-line tool read
 * their syntax (a Lua number, a line of text, an argument) and hand the
 * parsed value to the same validator for its type, so "timeout" means the
 * same thing, within the same limits, everywhere. Messages name the option
 * and never quote its value (it may be a secret). */
#ifndef LC_OPTIONS_H
#define LC_OPTIONS_H

#include <stddef.h>

#include "lockcloud/lockcloud.h"

typedef enum lc_opt_type {
    LC_OPT_TEXT,    /* non-empty, at most max bytes, no control character    */
    LC_OPT_URL,     /* http:// or https:// and a host, at most max bytes of
                       printable ASCII without blanks. Plain http passes here:
                       lc_client_new allows it only with allow_http and a
                       loopback host (url.h)                                 */
    LC_OPT_PATH,    /* an absolute path, at most max bytes, no control char  */
    LC_OPT_SECONDS, /* more than min, at most max seconds; stored as ms,
                       rounded up                                            */
    LC_OPT_BYTES,   /* a whole number from min to max                        */
    LC_OPT_BOOLEAN,
    LC_OPT_COUNT    /* a whole number from min to max, stored as int         */
} lc_opt_type;

enum {
    LC_OPT_REQUIRED = 1u << 0, /* every binding must be given it             */
    LC_OPT_SECRET   = 1u << 1, /* never shown (no message quotes any value,
                                  this marks the ones that must stay so)    */
    LC_OPT_ZERO_OFF = 1u << 2  /* numbers: 0 is taken too and means "off",
                                  stored as LC_OFF (the field's own 0 is
                                  its default)                              */
};

/* lc_option.field of a binding's own row (a PAM file path): no lc_config
 * field; its value is checked, never stored by lc_option_set_*. */
#define LC_OPT_NO_FIELD ((size_t)-1)

typedef struct lc_option {
    const char *name;
    lc_opt_type type;
    size_t field;      /* offsetof(lc_config, ...) or LC_OPT_NO_FIELD        */
    double min, max;   /* numbers: the range; text, URL, path: max bytes     */
    unsigned flags;    /* LC_OPT_*                                           */
    const char *doc;   /* one line, for help texts and docs                  */
} lc_option;

/* The rows, in documentation order; the name of the last is NULL. */
extern const lc_option lc_options[];

/* The row named name[0..len) (len: a Lua key may hold NUL), or NULL. */
const lc_option *lc_option_find(const char *name, size_t len);

/* Validates a parsed value for row o. label is how the binding names the
 * option in its messages ("option 'timeout'" in Lua; NULL: the bare name),
 * which read "<label> must be ...". LC_OK or LC_ERR_USAGE. */
lc_status lc_option_check_text(const lc_option *o, const char *label, const char *value,
                               lc_error *err);
lc_status lc_option_check_number(const lc_option *o, const char *label, double value,
                                 lc_error *err);

/* Checks, then stores the value in o's field of cfg (text is not copied:
 * cfg points at value, as lc_config always does). A row of the wrong type
 * or without a field is LC_ERR_USAGE. */
lc_status lc_option_set_text(lc_config *cfg, const lc_option *o, const char *label,
                             const char *value, lc_error *err);
lc_status lc_option_set_number(lc_config *cfg, const lc_option *o, const char *label,
                               double value, lc_error *err);
lc_status lc_option_set_boolean(lc_config *cfg, const lc_option *o, int value, lc_error *err);

#endif
