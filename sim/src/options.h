/* Command line of lockcloud-sim (docs/SIMULATOR.md). */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

typedef struct sim_options {
    struct sockaddr_storage addr;  /* loopback only */
    socklen_t addrlen;
    char host[64];                 /* for the base URL: "127.0.0.1" or "[::1]" */
    int http;                      /* plain HTTP (tests only) */
    const char *cert, *key, *ca_out;
    const char *url_file;          /* --url-file, or NULL */
    const char *webhook_cafile;    /* --webhook-cafile, or NULL: system CAs */
    int webhook_http;              /* http:// receivers too (tests only) */
    char fixture[4096];
    long rate_limit, rate_window, token_ttl;
} sim_options;

/* Returns 0 to run, 1 when --help or --version was printed, 2 on a usage
 * error (message already written to err). */
int sim_options_parse(sim_options *o, int argc, char **argv, FILE *err);

#endif
