/* Fuzzes the credentials file parser (lcpam_creds_parse). Besides memory
 * safety it checks the promise "messages never quote a value": the same
 * file with every value byte replaced must give the same outcome and the
 * same message. */
#include <string.h>

#include "creds.h"
#include "fuzz_util.h"
#include "lines.h"

#define VALUE_MAX 256 /* creds.c */

/* Overwrites the printable, non-blank bytes after the first '=' of each
 * line with 'x': line structure, blanks and lengths stay as they were. */
static void mask_values(char *s)
{
    int in_value = 0;

    for (; *s; s++) {
        if (*s == '\n')
            in_value = 0;
        else if (!in_value && *s == '=')
            in_value = 1;
        else if (in_value && *s > 0x20 && *s < 0x7f)
            *s = 'x';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LCPAM_ERR_MAX], err2[LCPAM_ERR_MAX];
    lcpam_creds c, c2;
    char *text, *masked;
    int r, r2;

    if (size > LCPAM_FILE_MAX || memchr(data, '\0', size))
        return 0;
    text = fz_cstr(data, size);
    masked = fz_cstr(data, size);
    mask_values(masked);
    err[0] = err2[0] = '\0';
    r = lcpam_creds_parse(text, &c, err, sizeof err);
    r2 = lcpam_creds_parse(masked, &c2, err2, sizeof err2);
    FZ_ASSERT(r == r2);
    if (r == 0) {
        FZ_ASSERT(c.client_id && c.client_secret);
        FZ_ASSERT(c.client_id[0] && c.client_secret[0]);
        FZ_ASSERT(strlen(c.client_id) <= VALUE_MAX && strlen(c.client_secret) <= VALUE_MAX);
        FZ_ASSERT(strlen(c.client_id) == strlen(c2.client_id));
        FZ_ASSERT(strlen(c.client_secret) == strlen(c2.client_secret));
        lcpam_creds_free(&c);
        lcpam_creds_free(&c2);
    } else {
        fz_check_text(err, sizeof err);
        FZ_ASSERT(strcmp(err, err2) == 0); /* no value reached the message */
        FZ_ASSERT(!c.client_id && !c.client_secret);
    }
    free(text);
    free(masked);
    return 0;
}
