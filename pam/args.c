#include <stdio.h>
#include <string.h>

#include "args.h"
#include "conf.h"

/* Quotes an argument for a log line without letting it forge one. */
static void shown(char *dst, size_t dstlen, const char *s)
{
    size_t i;

    for (i = 0; s[i] && i + 1 < dstlen; i++)
        dst[i] = (s[i] > 0x20 && s[i] < 0x7f) ? s[i] : '?';
    dst[i] = '\0';
}

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
            shown(q, sizeof q, a);
            snprintf(err, errlen, "unknown module argument '%s'", q);
            return -1;
        }
    }
    if (!args->config)
        args->config = LCPAM_DEFAULT_CONFIG;
    return 0;
}
