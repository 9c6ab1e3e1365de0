/* The OAuth client credentials file (credentials_file =, mode 0600). */
#ifndef LCPAM_CREDS_H
#define LCPAM_CREDS_H

#include <stddef.h>

typedef struct lcpam_creds {
    char *client_id;
    char *client_secret;
} lcpam_creds;

/* Parses "client_id = ..." and "client_secret = ..." lines (both required,
 * nothing else allowed). text is modified in place. Messages never quote a
 * value. Returns 0 or -1 with err; on error creds holds nothing. */
int lcpam_creds_parse(char *text, lcpam_creds *creds, char *err, size_t errlen);

/* lcpam_file_load with LC_FILE_SECRET + lcpam_creds_parse. */
int lcpam_creds_load(const char *path, lcpam_creds *creds, char *err, size_t errlen);

/* Wipes and frees both values. */
void lcpam_creds_free(lcpam_creds *creds);

#endif
