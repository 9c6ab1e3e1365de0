/* TLS material for the daemon: a throwaway CA plus a server certificate
 * for 127.0.0.1, ::1 and localhost, or PEM files given on the command line. */
#ifndef SIM_TLS_CERT_H
#define SIM_TLS_CERT_H

#include <stddef.h>

typedef struct sim_tls {
    char *cert_pem;  /* server certificate, PEM */
    char *key_pem;   /* its private key, PEM (wiped on free) */
} sim_tls;

/* Generates CA + server certificate; writes the CA PEM to ca_out (when not
 * NULL) with mode 0644 via a temp file and rename. 0, or -1 with err. */
int sim_tls_generate(sim_tls *tls, const char *ca_out, char *err, size_t errlen);
/* Loads PEM files. 0, or -1 with err. */
int sim_tls_load(sim_tls *tls, const char *cert_file, const char *key_file,
                 char *err, size_t errlen);
void sim_tls_free(sim_tls *tls);

#endif
