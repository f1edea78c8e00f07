/* scap_load.c -- bringing a capture into memory: a raw capture as it is,
 * a gzip'd one gunzipped (man/saker-trace.5 §16). A gzip stream that is
 * cut short or corrupt keeps what decoded before the damage, which the
 * block walk then reads like a capture cut short. */
#include "scap_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static int read_all(int fd, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= SCAP_MAX_INPUT) {
                free(b);
                snprintf(err, errlen, "capture larger than %zu bytes, too large to import",
                         SCAP_MAX_INPUT);
                return -1;
            }
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                snprintf(err, errlen, "out of memory reading %zu bytes", cap * 2);
                return -1;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t k = pread(fd, b + n, cap - n, (off_t)n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(err, errlen, "read: %s", strerror(errno));
            free(b);
            return -1;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    *out = b;
    *outlen = n;
    return 0;
}

/* gunzip in memory; a cut or corrupt stream keeps what decoded before. */
static int gunzip(const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen,
                  char *gzd, size_t gzdlen, char *err, size_t errlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        snprintf(err, errlen, "zlib: cannot start inflate");
        return -1;
    }
    size_t cap = inlen * 4 + 65536, n = 0;
    if (cap > SCAP_MAX_INPUT)
        cap = SCAP_MAX_INPUT;
    uint8_t *b = malloc(cap);
    if (!b) {
        inflateEnd(&z);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t in_off = 0;
    int rc = Z_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= SCAP_MAX_INPUT) {
                free(b);
                inflateEnd(&z);
                snprintf(err, errlen, "capture larger than %zu bytes once gunzipped, too large "
                         "to import", SCAP_MAX_INPUT);
                return -1;
            }
            size_t nc = cap * 2 > SCAP_MAX_INPUT ? SCAP_MAX_INPUT : cap * 2;
            uint8_t *nb = realloc(b, nc);
            if (!nb) {
                free(b);
                inflateEnd(&z);
                snprintf(err, errlen, "out of memory gunzipping");
                return -1;
            }
            b = nb;
            cap = nc;
        }
        size_t in_chunk = inlen - in_off > (1u << 30) ? (1u << 30) : inlen - in_off;
        size_t out_chunk = cap - n > (1u << 30) ? (1u << 30) : cap - n;
        z.next_in = (Bytef *)(uintptr_t)(in + in_off);
        z.avail_in = (uInt)in_chunk;
        z.next_out = b + n;
        z.avail_out = (uInt)out_chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        in_off += in_chunk - z.avail_in;
        n += out_chunk - z.avail_out;
        if (rc == Z_STREAM_END) {
            /* another gzip member may follow (concatenated files) */
            if (in_off < inlen && inflateReset(&z) == Z_OK)
                continue;
            break;
        }
        if (rc == Z_BUF_ERROR && in_off >= inlen) {
            snprintf(gzd, gzdlen, "gzip stream cut short at compressed offset %zu (%zu bytes "
                     "decoded before the cut)", in_off, n);
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            snprintf(gzd, gzdlen, "gzip data corrupt at compressed offset %zu: %s (%zu bytes "
                     "decoded before it)", in_off, z.msg ? z.msg : "inflate error", n);
            break;
        }
    }
    inflateEnd(&z);
    *out = b;
    *outlen = n;
    return 0;
}

int skr_scap_load(const uint8_t *head, size_t headlen, int fd, const uint8_t *mem, size_t memlen,
                  uint8_t **data, size_t *len, bool *gzipped, char *gz_damage, size_t gzlen,
                  char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    gz_damage[0] = 0;
    bool gz = headlen >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    /* the section header's block type is enough: skr_scap_convert then
     * names what else is wrong (cut short, byte order, version, pcapng) */
    bool shb = headlen >= 4 && !memcmp(head, "\x0a\x0d\x0d\x0a", 4);
    if (!gz && !shb)
        return 0;
    uint8_t *file = NULL;
    size_t flen = 0;
    if (mem) {
        file = (uint8_t *)(uintptr_t)mem;
        flen = memlen;
    } else if (read_all(fd, &file, &flen, err, errlen) < 0) {
        return -1;
    }
    int rc = 1;
    if (gz) {
        uint8_t *raw = NULL;
        size_t rawlen = 0;
        if (gunzip(file, flen, &raw, &rawlen, gz_damage, gzlen, err, errlen) < 0) {
            rc = -1;
        } else if (rawlen < 4 || memcmp(raw, "\x0a\x0d\x0d\x0a", 4) != 0) {
            free(raw);
            gz_damage[0] = 0;
            rc = 0;
        } else {
            *data = raw;
            *len = rawlen;
        }
        if (!mem)
            free(file);
    } else if (mem) {
        if (!(*data = malloc(flen ? flen : 1))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(*data, mem, flen);
        *len = flen;
    } else {
        *data = file;
        *len = flen;
    }
    *gzipped = gz;
    return rc;
}

