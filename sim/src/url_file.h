/* --url-file: the base URL for scripts, without parsing stdout. */
#ifndef SIM_URL_FILE_H
#define SIM_URL_FILE_H

#include <stddef.h>

/* Writes "url\n" to path atomically (a temporary file in the same
 * directory, mode 0644, renamed over path), so a reader sees either no file
 * or the whole line. 0, or -1 with a message naming the path in err. */
int sim_url_file_write(const char *path, const char *url, char *err, size_t errlen);

#endif
