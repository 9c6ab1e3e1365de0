/* lockcloud-sim: a local HTTPS stand-in for the RemoteLock cloud.
 * Prints its base URL as the first stdout line (and into --url-file), serves
 * until SIGINT, SIGTERM or SIGHUP (taken with sigwait on this thread; the
 * server thread has them blocked), then shuts down cleanly. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "server.h"
#include "url_file.h"
#include "webhooks.h"

int main(int argc, char **argv)
{
    sim_options opts;
    int rc = sim_options_parse(&opts, argc, argv, stderr);
    if (rc != 0)
        return rc == 1 ? 0 : 2;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP); /* terminal closed: stop cleanly, URL file removed */
    /* Blocked before the server thread starts, so it inherits the mask. */
    if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        fprintf(stderr, "lockcloud-sim: cannot set up signals\n");
        return 1;
    }

    /* Readers wait for the file to appear: never let them see an old one. */
    if (opts.url_file)
        unlink(opts.url_file);
    sim_server *s = calloc(1, sizeof(*s));
    char err[512];
    if (!s) {
        fprintf(stderr, "lockcloud-sim: out of memory\n");
        return 1;
    }
    /* The webhook worker starts before the server takes requests that
     * post to it, and stops after the server no longer does. */
    if (sim_server_init(s, &opts, err, sizeof(err)) != 0 ||
        sim_webhooks_start(opts.webhook_cafile, opts.webhook_http, &s->clock, err,
                           sizeof(err)) != 0 ||
        sim_server_start(s, err, sizeof(err)) != 0) {
        fprintf(stderr, "lockcloud-sim: %s\n", err);
        sim_server_free(s);
        sim_webhooks_stop();
        free(s);
        return 1;
    }
    if (!opts.http && !opts.cert && !opts.ca_out)
        fprintf(stderr, "lockcloud-sim: warning: no --ca-out, clients cannot verify the "
                        "generated certificate\n");
    if (opts.url_file && sim_url_file_write(opts.url_file, s->base_url, err, sizeof(err)) != 0) {
        fprintf(stderr, "lockcloud-sim: %s\n", err);
        sim_server_free(s);
        sim_webhooks_stop();
        free(s);
        return 1;
    }
    /* After the URL file: whoever read this line can read the file too. */
    printf("%s\n", s->base_url);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    if (opts.url_file) /* a stale URL would send the next reader to a dead port */
        unlink(opts.url_file);
    sim_server_free(s);
    sim_webhooks_stop();
    free(s);
    return 0;
}
