/* A DNS server that never answers, for tests of resolver timeouts.
 *
 *   silent_dns d;
 *   if (silent_dns_start(&d) != 0) ...;       // reason in d.why
 *   ... point a private /etc/resolv.conf at d.addr (port 53) ...
 *   silent_dns_queries(&d);                   // UDP queries received so far
 *   silent_dns_stop(&d);
 *
 * It binds UDP and TCP port 53 on a free loopback address 127.53.x.y (so it
 * never collides with a real resolver on 127.0.0.1 or 127.0.0.53, nor with
 * a parallel run) and nobody ever answers: queries wait in the socket
 * queue, TCP connections complete in the kernel's backlog and stay silent.
 * Port 53 needs root (or CAP_NET_BIND_SERVICE). */
#ifndef LC_SILENT_DNS_H
#define LC_SILENT_DNS_H

typedef struct silent_dns {
    char addr[32];  /* "127.53.x.y" */
    int udp, tcp;   /* -1 when closed */
    char why[160];  /* reason when start failed */
} silent_dns;

int silent_dns_start(silent_dns *d);
/* Drains and counts the UDP datagrams queued so far (never answers them). */
int silent_dns_queries(silent_dns *d);
void silent_dns_stop(silent_dns *d);

#endif
