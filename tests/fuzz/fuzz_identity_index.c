/* Fuzzes the identity index (pam/identity_index.h) both ways. The first
 * byte picks the mode:
 *  'L' lookup: the next line is a user, the rest the index bytes (searched
 *      in memory, no terminator) with the identity its own header names.
 *      The search must not read outside the bytes; a hit is a valid
 *      lower-case id; an error message is printable. When the whole index
 *      verifies, the binary search must agree with a linear scan for the
 *      user and find every record's user.
 *  'B' build: lines "user id" go to the builder; what it encodes must
 *      verify, and each user added must be found with its one id, or be
 *      ambiguous when it came with several. */
#include <string.h>

#include "fuzz_util.h"
#include "identity_index.h"

static const char *const spec = "email:%u@example.org";

static void check_id(const char *id)
{
    size_t n = strlen(id);

    FZ_ASSERT(n >= 1 && n <= LC_ACCESS_ID_MAX);
    for (size_t i = 0; i < n; i++)
        FZ_ASSERT(id[i] > 0x20 && id[i] < 0x7f && !(id[i] >= 'A' && id[i] <= 'Z'));
}

/* The record i's user and what it says, read plainly (verified index). */
static int linear(const unsigned char *d, uint32_t count, const char *user, char *id)
{
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *r = d + LCPAM_INDEX_HEADER_SIZE + (size_t)i * LCPAM_INDEX_RECORD_SIZE;
        if (r[0] != strlen(user) || memcmp(r + 4, user, r[0]) != 0)
            continue;
        if (r[2] & LCPAM_INDEX_AMBIGUOUS_FLAG)
            return LCPAM_INDEX_AMBIGUOUS;
        memcpy(id, r + 4 + LCPAM_USER_MAX, r[1]);
        id[r[1]] = '\0';
        return LCPAM_INDEX_FOUND;
    }
    return LCPAM_INDEX_UNMAPPED;
}

static void lookup_mode(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    char own[LCPAM_IDENTITY_SPEC_MAX + 1] = "", id[LC_ACCESS_ID_MAX + 1], lid[LC_ACCESS_ID_MAX + 1];
    lcpam_index_info info;
    lcpam_index_src src;
    unsigned char *bytes;
    char *user;
    lc_error err;
    int r;

    if (!nl || (size_t)(nl - data) > LCPAM_USER_MAX + 8)
        return;
    user = fz_cstr(data, (size_t)(nl - data));
    src.size = size - (size_t)(nl - data) - 1;
    /* An exact-size copy: ASan catches any read past it. */
    bytes = malloc(src.size ? src.size : 1);
    if (!bytes)
        abort();
    memcpy(bytes, nl + 1, src.size);
    src.fd = -1;
    src.mem = bytes;
    if (src.size >= LCPAM_INDEX_HEADER_SIZE)
        memcpy(own, bytes + 64, LCPAM_IDENTITY_SPEC_MAX);
    own[LCPAM_IDENTITY_SPEC_MAX] = '\0';

    lc_error_init(&err);
    r = lcpam_index_search(&src, own, user, 3600, 1000000, id, &info, &err);
    FZ_ASSERT(r >= LCPAM_INDEX_ERROR && r <= LCPAM_INDEX_AMBIGUOUS);
    if (r == LCPAM_INDEX_FOUND)
        check_id(id);
    else
        FZ_ASSERT(id[0] == '\0');
    if (r == LCPAM_INDEX_ERROR)
        fz_check_text(err.message, sizeof err.message);
    lc_error_init(&err);
    if (lcpam_index_verify(&src, own, &err) == LC_OK) {
        /* Every record's user is valid, so a name that is not cannot
         * match one: the scan and the search agree for any user. */
        FZ_ASSERT(r != LCPAM_INDEX_ERROR && r == linear(bytes, info.count, user, lid));
        FZ_ASSERT(r != LCPAM_INDEX_FOUND || strcmp(lid, id) == 0);
        for (uint32_t i = 0; i < info.count && i < 64; i++) {
            const unsigned char *rec = bytes + LCPAM_INDEX_HEADER_SIZE +
                                       (size_t)i * LCPAM_INDEX_RECORD_SIZE;
            char u[LCPAM_USER_MAX + 1];
            memcpy(u, rec + 4, rec[0]);
            u[rec[0]] = '\0';
            r = lcpam_index_search(&src, own, u, 3600, 1000000, id, NULL, &err);
            FZ_ASSERT(r == linear(bytes, info.count, u, lid));
            FZ_ASSERT(r != LCPAM_INDEX_FOUND || strcmp(lid, id) == 0);
        }
    } else {
        fz_check_text(err.message, sizeof err.message);
    }
    free(bytes);
    free(user);
}

static void build_mode(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size), *save = NULL, id[LC_ACCESS_ID_MAX + 1];
    lcpam_index_builder b;
    unsigned char *out = NULL;
    size_t len = 0;
    lc_error err;

    lcpam_index_builder_init(&b);
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *sp = '\0';
        lcpam_index_builder_add(&b, line, sp + 1, &err);
    }
    lcpam_index_builder_finish(&b);
    FZ_ASSERT(lcpam_index_encode(&b, spec, 12345, &out, &len, &err) == LC_OK);
    {
        lcpam_index_src src = { -1, out, len };
        FZ_ASSERT(lcpam_index_verify(&src, spec, &err) == LC_OK);
        for (size_t i = 0; i < b.count; i++) {
            int several = (i > 0 && strcmp(b.pairs[i - 1].user, b.pairs[i].user) == 0) ||
                          (i + 1 < b.count && strcmp(b.pairs[i + 1].user, b.pairs[i].user) == 0);
            int r = lcpam_index_search(&src, spec, b.pairs[i].user, 0, 0, id, NULL, &err);
            FZ_ASSERT(r == (several ? LCPAM_INDEX_AMBIGUOUS : LCPAM_INDEX_FOUND));
            FZ_ASSERT(several || strcmp(id, b.pairs[i].id) == 0);
        }
    }
    free(out);
    lcpam_index_builder_free(&b);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] == 'L')
        lookup_mode(data + 1, size - 1);
    else if (data[0] == 'B')
        build_mode(data + 1, size - 1);
    return 0;
}
