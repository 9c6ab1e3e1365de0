#include <stdio.h>
#include <string.h>

#include "args.h"
#include "conf.h"
/* The core's sanitizer (internal to liblockcloud, linked statically). */
#include "../core/src/text.h"

int lcpam_args_parse(int argc, const char **argv, lcpam_args *args,
                     char *err, size_t errlen)
{
    char q[48];

    args->config = NULL;
    args->debug = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!a) {
            snprintf(err, errlen, "null module argument");
            return -1;
        }
        if (strcmp(a, "debug") == 0) {
            args->debug = 1;
        } else if (strncmp(a, "config=", 7) == 0) {
            if (args->config) {
                snprintf(err, errlen, "config= given more than once");
                return -1;
            }
            if (a[7] != '/') {
                snprintf(err, errlen, "config= needs an absolute path");
                return -1;
            }
            args->config = a + 7;
        } else {
            /* Quoted without letting it forge a log line. */
            lc_text_sanitize(q, sizeof q, a, LC_TEXT_WORD);
            snprintf(err, errlen, "unknown module argument '%s'", q);
            return -1;
        }
    }
    if (!args->config)
        args->config = LCPAM_DEFAULT_CONFIG;
    return 0;
}
