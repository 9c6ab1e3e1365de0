/* A DNS server that never answers; see silent_dns.h. */
#include "silent_dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bound(int type, const struct sockaddr_in *a)
{
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (const struct sockaddr *)a, sizeof(*a)) != 0 ||
        (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int silent_dns_start(silent_dns *d)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) };
    unsigned seed = (unsigned)getpid();

    d->udp = d->tcp = -1;
    d->why[0] = d->addr[0] = '\0';
    for (int i = 0; i < 64; i++) {
        unsigned x = (seed + (unsigned)i * 7919u) % 250u + 1u, y = (seed / 250u + (unsigned)i) % 250u + 1u;
        snprintf(d->addr, sizeof(d->addr), "127.53.%u.%u", x, y);
        inet_pton(AF_INET, d->addr, &a.sin_addr);
        d->udp = bound(SOCK_DGRAM, &a);
        if (d->udp >= 0) {
            d->tcp = bound(SOCK_STREAM, &a);
            if (d->tcp >= 0)
                return 0;
            close(d->udp);
            d->udp = -1;
        }
        if (errno != EADDRINUSE) {
            snprintf(d->why, sizeof(d->why), "cannot bind %s:53: %s", d->addr, strerror(errno));
            return -1;
        }
    }
    snprintf(d->why, sizeof(d->why), "no free 127.53.x.y:53 address");
    return -1;
}

int silent_dns_queries(silent_dns *d)
{
    char buf[512];
    int n = 0;
    while (d->udp >= 0 && recv(d->udp, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
        n++;
    return n;
}

void silent_dns_stop(silent_dns *d)
{
    if (d->udp >= 0)
        close(d->udp);
    if (d->tcp >= 0)
        close(d->tcp);
    d->udp = d->tcp = -1;
}
