/* procfs_etc.c -- USER and GROUP checkpoint records (man/saker-trace.5
 * §8.3) from passwd(5) and group(5) files.
 *
 * The files are parsed here, a bounded line at a time, instead of through
 * getpwent(3)/getgrent(3): those go through NSS, which may be configured
 * to ask LDAP or SSSD over the network, and the recorder must not wait on
 * the network before its first event. Lines the parsers do not understand
 * (comments, NIS "+"/"-" entries, bad ids, too few fields) are left out;
 * the first entry of an id wins, as it does for getpwuid(3). */
#include "procfs_int.h"

#include <stdlib.h>
#include <string.h>

#include "../reader/format.h"

/* Splits line at ':' into exactly n fields (the last takes the rest).
 * Returns false when there are fewer. */
static bool colon_fields(char *line, char **f, int n)
{
    for (int i = 0; i < n; i++) {
        f[i] = line;
        if (i == n - 1)
            break;
        char *c = strchr(line, ':');
        if (!c)
            return false;
        *c = '\0';
        line = c + 1;
    }
    return true;
}

static bool skip_line(const char *line)
{
    return line[0] == '\0' || line[0] == '#' || line[0] == '+' || line[0] == '-';
}

/* passwd(5): name:password:UID:GID:GECOS:directory:shell */
static uint32_t read_passwd(FILE *f, struct skr_buf *out, struct procfs_stats *st, char *line,
                            struct skr_buf *rec, struct procfs_map *seen)
{
    uint32_t n = 0;
    bool cut;
    while (procfs_getline(f, line, PROCFS_LINE_MAX, &cut)) {
        char *fld[7];
        uint32_t uid;
        if (skip_line(line))
            continue;
        if (cut) { /* the shell would be cut: leave the entry out */
            st->malformed++;
            continue;
        }
        if (!colon_fields(line, fld, 7) || !fld[0][0] || !procfs_parse_u32(fld[2], &uid)) {
            st->malformed++;
            continue;
        }
        int r = procfs_map_put(seen, uid, 1);
        if (r < 0) {
            out->oom = true;
            break;
        }
        if (r == 0)
            continue;
        skr_buf_reset(rec);
        skr_put_field_u(rec, SKR_CPU_ID, uid);
        skr_put_field_str(rec, SKR_CPU_NAME, fld[0]);
        skr_put_field_str(rec, SKR_CPU_HOME, fld[5]);
        skr_put_field_str(rec, SKR_CPU_SHELL, fld[6]);
        skr_put_field_bytes(out, SKR_CP_USER, rec->data, rec->len);
        n++;
    }
    return n;
}

/* group(5): name:password:GID:members. The member list may be longer than
 * a line buffer; it is not recorded, so a cut line still gives its entry
 * when the first three fields fit. */
static uint32_t read_group(FILE *f, struct skr_buf *out, struct procfs_stats *st, char *line,
                           struct skr_buf *rec, struct procfs_map *seen)
{
    uint32_t n = 0;
    bool cut;
    while (procfs_getline(f, line, PROCFS_LINE_MAX, &cut)) {
        char *fld[4];
        uint32_t gid;
        if (skip_line(line))
            continue;
        if (!colon_fields(line, fld, 4) || !fld[0][0] || !procfs_parse_u32(fld[2], &gid)) {
            st->malformed++;
            continue;
        }
        int r = procfs_map_put(seen, gid, 1);
        if (r < 0) {
            out->oom = true;
            break;
        }
        if (r == 0)
            continue;
        skr_buf_reset(rec);
        skr_put_field_u(rec, SKR_CPU_ID, gid);
        skr_put_field_str(rec, SKR_CPU_NAME, fld[0]);
        skr_put_field_bytes(out, SKR_CP_GROUP, rec->data, rec->len);
        n++;
    }
    return n;
}

static FILE *open_under(const char *root, const char *name)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, name) >= sizeof path)
        return NULL;
    return fopen(path, "re");
}

uint32_t procfs_etc_accounts(const char *etc_root, struct skr_buf *out, struct procfs_stats *st)
{
    char *line = skr_malloc(PROCFS_LINE_MAX);
    if (!line) {
        out->oom = true;
        return 0;
    }
    struct skr_buf rec = { 0 };
    struct procfs_map seen = { 0 };
    uint32_t n = 0;
    FILE *f = open_under(etc_root, "passwd");
    if (f) {
        uint32_t k = read_passwd(f, out, st, line, &rec, &seen);
        st->users += k;
        n += k;
        fclose(f);
    }
    procfs_map_free(&seen);
    f = open_under(etc_root, "group");
    if (f && !out->oom) {
        uint32_t k = read_group(f, out, st, line, &rec, &seen);
        st->groups += k;
        n += k;
    }
    if (f)
        fclose(f);
    if (rec.oom)
        out->oom = true;
    procfs_map_free(&seen);
    skr_buf_free(&rec);
    free(line);
    return n;
}
