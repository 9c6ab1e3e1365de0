/* Module arguments from the PAM stack line. */
#ifndef LCPAM_ARGS_H
#define LCPAM_ARGS_H

#include <stddef.h>

typedef struct lcpam_args {
    const char *config; /* borrowed from argv; default LCPAM_DEFAULT_CONFIG */
    int debug;
} lcpam_args;

/* Accepts "config=/absolute/path" (once) and "debug"; anything else is an
 * error, so a misspelt argument cannot silently change behaviour.
 * Returns 0 or -1 with err. */
int lcpam_args_parse(int argc, const char **argv, lcpam_args *args,
                     char *err, size_t errlen);

#endif
