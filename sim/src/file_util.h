/* Reading small local files (fixtures, PEM certificates and keys). */
#ifndef SIM_FILE_UTIL_H
#define SIM_FILE_UTIL_H

#include <stddef.h>

/* Reads a whole regular file of 1..max_size bytes into a NUL-terminated heap
 * buffer (*len excludes the NUL). Returns NULL with a message naming path
 * (and `what`, e.g. "fixture") in err. */
char *sim_read_file(const char *path, const char *what, size_t max_size,
                    size_t *len, char *err, size_t errlen);

#endif
