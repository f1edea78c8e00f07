/* scap_evdec.c -- one scap event block into a saker event, and the saker
 * schema of the libs event table (man/saker-trace.5 §16.3, §16.4).
 *
 * Parameter values are re-encoded without copying: numbers are read as
 * little-endian integers of the stored length and widened, strings lose
 * the NUL libs stores after them, socket addresses and tuples keep libs'
 * layout (which is §5.2/§5.3's: family byte, addresses in network order,
 * ports as host-order u16) with the NUL after a unix path removed. Every
 * value points into the capture's bytes. */
#include "scap_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Event ids whose length field old (V1) captures store 3 bytes too long
 * (libs scap_savefile.c, the V1 to V2 conversion). */
#define SCAP_NOTIFICATION_E 280
#define SCAP_INFRASTRUCTURE_EVENT_E 286

static const char *category_name(uint32_t cat)
{
    static const char *const base[] = {
        "unknown", "other", "file", "net", "ipc", "memory", "process",
        "sleep", "system", "signal", "user", "time", "processing",
    };
    uint32_t low = cat & 0x3f;
    /* EC_INTERNAL (procinfo, container, infra): events sysdig shows only
     * with -D. The name tells readers so; evt.category prints what libs
     * calls them ("unknown"). */
    if ((cat & (1u << 8)) && low == 0)
        return "internal";
    if (cat & (1u << 6))
        return "wait";
    if (low < sizeof base / sizeof base[0])
        return base[low];
    switch (low) {
    case 32: return "io_read";
    case 33: return "io_write";
    case 34: return "io_other";
    default: break;
    }
    if (cat & (1u << 7))
        return "scheduler";
    if (cat & (1u << 8))
        return "internal";
    return "unknown";
}

/* Execve-style byte buffers that hold NUL-ended strings. */
static bool is_strlist_name(const char *n)
{
    return !strcmp(n, "args") || !strcmp(n, "env") || !strcmp(n, "cgroups");
}

static uint8_t map_ptype(const struct skr_scap_param *p)
{
    switch (p->type) {
    case SKR_SPT_INT8: case SKR_SPT_INT16: case SKR_SPT_INT32: case SKR_SPT_INT64:
        return SKR_PT_INT;
    case SKR_SPT_UINT8: case SKR_SPT_UINT16: case SKR_SPT_UINT32: case SKR_SPT_UINT64:
        return p->fmt == SKR_SPF_HEX ? SKR_PT_HEX : p->fmt == SKR_SPF_OCT ? SKR_PT_MODE : SKR_PT_UINT;
    case SKR_SPT_ERRNO: return SKR_PT_ERRNO;
    case SKR_SPT_FD: case SKR_SPT_FD32: return SKR_PT_FD;
    case SKR_SPT_PID: case SKR_SPT_PID32: return SKR_PT_PID;
    case SKR_SPT_FLAGS8: case SKR_SPT_FLAGS16: case SKR_SPT_FLAGS32:
    case SKR_SPT_ENUMFLAGS8: case SKR_SPT_ENUMFLAGS16: case SKR_SPT_ENUMFLAGS32:
        return SKR_PT_FLAGS;
    case SKR_SPT_UID: return SKR_PT_UID;
    case SKR_SPT_GID: return SKR_PT_GID;
    case SKR_SPT_MODE: return SKR_PT_MODE;
    case SKR_SPT_SIGTYPE: return SKR_PT_SIGNAL;
    case SKR_SPT_RELTIME: return SKR_PT_DURATION;
    case SKR_SPT_ABSTIME: return SKR_PT_TIME;
    case SKR_SPT_SIGSET: return SKR_PT_HEX;
    case SKR_SPT_SYSCALLID: case SKR_SPT_PORT: case SKR_SPT_L4PROTO:
    case SKR_SPT_SOCKFAMILY: case SKR_SPT_BOOL:
        return SKR_PT_UINT;
    case SKR_SPT_DOUBLE: return SKR_PT_DOUBLE;
    case SKR_SPT_CHARBUF: return SKR_PT_STRING;
    case SKR_SPT_FSPATH: case SKR_SPT_FSRELPATH: return SKR_PT_PATH;
    case SKR_SPT_BYTEBUF: return is_strlist_name(p->name) ? SKR_PT_STRLIST : SKR_PT_DATA;
    case SKR_SPT_SOCKADDR: return SKR_PT_SOCKADDR;
    case SKR_SPT_SOCKTUPLE: return SKR_PT_SOCKTUPLE;
    case SKR_SPT_FDLIST: return SKR_PT_FDLIST;
    case SKR_SPT_IPV4ADDR: case SKR_SPT_IPV6ADDR: case SKR_SPT_IPADDR: return SKR_PT_IPADDR;
    default: return SKR_PT_DATA; /* DYN, nets, arrays: libs' bytes as they are */
    }
}

static bool is_signed(uint8_t t)
{
    switch (t) {
    case SKR_SPT_INT8: case SKR_SPT_INT16: case SKR_SPT_INT32: case SKR_SPT_INT64:
    case SKR_SPT_ERRNO: case SKR_SPT_FD: case SKR_SPT_PID: case SKR_SPT_FD32: case SKR_SPT_PID32:
        return true;
    default:
        return false;
    }
}

static struct skr_schema g_schema;
static struct skr_event_def *g_defs;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void build_schema(void)
{
    g_defs = calloc(SKR_SCAP_EVENT_MAX, sizeof *g_defs);
    if (!g_defs)
        return;
    size_t n = 0;
    for (uint16_t id = 0; id < SKR_SCAP_EVENT_MAX; id++) {
        const struct skr_scap_evinfo *e = &skr_scap_events[id];
        if (!e->name)
            continue;
        struct skr_event_def *d = &g_defs[n++];
        d->id = id;
        d->dir = (id & 1) ? SKR_DIR_EXIT : SKR_DIR_ENTER;
        d->name = e->name;
        d->category = category_name(e->category);
        d->nparams = e->nparams;
        for (int i = 0; i < e->nparams; i++) {
            d->params[i].name = e->params[i].name;
            d->params[i].type = map_ptype(&e->params[i]);
            d->params[i].wire = (uint8_t)skr_ptype_wire(d->params[i].type);
        }
    }
    skr_schema_from_table(&g_schema, g_defs, n);
}

const struct skr_schema *scap_schema(void)
{
    pthread_once(&g_once, build_schema);
    return g_defs ? &g_schema : NULL;
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void set_value(const struct skr_scap_param *sp, const struct skr_param_def *pd,
                      const uint8_t *p, uint32_t len, struct skr_value *v)
{
    memset(v, 0, sizeof *v);
    if (pd->wire != SKR_WIRE_BYTES) {
        uint64_t u = get_le(p, len);
        size_t w = len > 8 ? 8 : len;
        v->u = u;
        if (is_signed(sp->type) && w > 0 && w < 8 && (u >> (8 * w - 1)) & 1)
            u |= ~0ull << (8 * w);
        v->s = (int64_t)u;
        return;
    }
    v->ptr = p;
    v->len = len;
    switch (pd->type) {
    case SKR_PT_STRING:
    case SKR_PT_PATH:
        if (v->len && p[v->len - 1] == 0)
            v->len--;
        break;
    case SKR_PT_SOCKADDR:
        if (len > 1 && p[0] == 1) /* AF_UNIX: the path without its NULs */
            while (v->len > 1 && p[v->len - 1] == 0)
                v->len--;
        break;
    case SKR_PT_SOCKTUPLE:
        if (len > 17 && p[0] == 1)
            while (v->len > 17 && p[v->len - 1] == 0)
                v->len--;
        break;
    default:
        break;
    }
}

static bool is_v2(uint32_t t)
{
    return t == SKR_SCAP_EV_V2 || t == SKR_SCAP_EV_V2_LARGE || t == SKR_SCAP_EVF_V2 ||
           t == SKR_SCAP_EVF_V2_LARGE;
}

static bool has_flags(uint32_t t)
{
    return t == SKR_SCAP_EVF || t == SKR_SCAP_EVF_V2 || t == SKR_SCAP_EVF_V2_LARGE;
}

/* V1 events do not store their parameter count: the largest count (not
 * above the table's) whose u16 lengths add up exactly to the event. */
static int v1_nparams(const uint8_t *lens, size_t avail, unsigned max)
{
    for (int np = (int)max; np >= 0; np--) {
        size_t need = (size_t)np * 2;
        if (need > avail)
            continue;
        struct skr_cur c = skr_cur_make(lens, need);
        uint64_t sum = 0;
        for (int i = 0; i < np; i++)
            sum += skr_get_u16(&c);
        if (sum == avail - need)
            return np;
    }
    return -1;
}

int scap_decode_event(struct scap_conv *c, uint32_t btype, const uint8_t *body, size_t n,
                      struct skr_event *ev, struct skr_buf *scratch, char *err, size_t errlen)
{
    (void)scratch;
    const struct skr_schema *schema = scap_schema();
    bool v2 = is_v2(btype);
    size_t hdr_len = v2 ? 26 : 22;
    struct skr_cur cur = skr_cur_make(body, n);
    uint16_t cpu = skr_get_u16(&cur);
    if (has_flags(btype))
        skr_get_u32(&cur);
    size_t evt_off = n - skr_cur_left(&cur);
    const uint8_t *evt = cur.p;
    uint64_t ts = skr_get_u64(&cur);
    uint64_t tid = skr_get_u64(&cur);
    uint32_t len = skr_get_u32(&cur);
    uint16_t type = skr_get_u16(&cur);
    uint32_t np = v2 ? skr_get_u32(&cur) : 0;
    if (!skr_cur_ok(&cur)) {
        snprintf(err, errlen, "event header needs %zu bytes, block has %zu",
                 evt_off + hdr_len, n);
        return -1;
    }
    if (type >= SKR_SCAP_EVENT_MAX || !schema || !schema->defs[type])
        return 1;
    const struct skr_scap_evinfo *info = &skr_scap_events[type];
    const struct skr_event_def *def = schema->defs[type];
    size_t avail = n - evt_off;
    if (!v2 && (type == SCAP_NOTIFICATION_E || type == SCAP_INFRASTRUCTURE_EVENT_E) && len >= 3)
        len -= 3;
    if (len < hdr_len || len > avail) {
        snprintf(err, errlen, "event length %u outside %zu..%zu", len, hdr_len, avail);
        return -1;
    }
    size_t lsz = (v2 && (info->flags & SKR_SCAP_EF_LARGE_PAYLOAD)) ? 4 : 2;
    const uint8_t *lens = evt + hdr_len;
    size_t rest = len - hdr_len;  /* lengths and values */
    if (!v2) {
        int k = v1_nparams(lens, rest, info->nparams);
        if (k < 0) {
            snprintf(err, errlen, "%s event: parameter lengths do not add up to its length %u",
                     info->name, len);
            return -1;
        }
        np = (uint32_t)k;
    }
    if ((uint64_t)np * lsz > rest) {
        snprintf(err, errlen, "%s event: %u parameters do not fit in its length %u",
                 info->name, np, len);
        return -1;
    }
    struct skr_cur lc = skr_cur_make(lens, (size_t)np * lsz);
    const uint8_t *val = lens + (size_t)np * lsz;
    size_t vleft = rest - (size_t)np * lsz;
    unsigned keep = np < def->nparams ? np : def->nparams;
    if (np > def->nparams)
        c->extra_params += np - def->nparams;
    memset(ev, 0, offsetof(struct skr_event, params));
    ev->ts = ts;
    ev->tid = (int64_t)tid;
    ev->cpu = cpu;
    ev->type = type;
    ev->def = def;
    ev->nparams = (uint16_t)keep;
    for (uint32_t i = 0; i < np; i++) {
        uint32_t pl = lsz == 4 ? skr_get_u32(&lc) : skr_get_u16(&lc);
        if (pl > vleft) {
            snprintf(err, errlen, "%s event: parameter %u length %u, %zu bytes left",
                     info->name, i, pl, vleft);
            return -1;
        }
        if (i < keep)
            set_value(&info->params[i], &def->params[i], val, pl, &ev->params[i]);
        val += pl;
        vleft -= pl;
    }
    return 0;
}
