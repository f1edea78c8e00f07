/* scap.h -- reading sysdig/Falco .scap captures: the block walker, the libs
 * event table, and the conversion of a whole capture into an in-memory
 * saker trace image (man/saker-trace.5 §16) that the ordinary reader then
 * opens, so every command that takes a trace takes a .scap.
 *
 * Design: a capture is decoded once, front to back, into native blocks in
 * memory (uncompressed EVENTS blocks of about 1 MiB, an initial CHECKPOINT
 * built from the capture's process, fd, user and interface tables and its
 * container events, an INDEX and a trailer). Seek, merge, type filters and
 * the index then work exactly as for a .skr. The cost is memory: while
 * converting, the uncompressed capture plus the image (built in two parts,
 * so briefly twice); afterwards the image alone, smaller than the capture
 * since its columns are varints (the largest corpus file, 2.7 MB, gives an
 * image of 1.1 MB and a 140 KB .skr); `saker convert` makes a compressed
 * .skr once for repeated reading of big captures.
 *
 * The scap layout (pcapng-style blocks, all little-endian):
 *   u32 block type, u32 total length (header + body + padding + trailer),
 *   body, padding to 4 bytes, u32 total length again.
 * Section header 0x0A0D0D0A: u32 byte-order magic 0x1A2B3C4D, u16 major,
 * u16 minor, u64 section length, then pcapng options (skipped).
 * Event blocks: u16 cpu, [u32 flags for EVF types], then the event header
 * u64 ts, u64 tid, u32 len, u16 type, [u32 nparams for V2 types], then
 * nparams lengths (u16, or u32 for event types flagged LARGE_PAYLOAD), then
 * the parameter bytes. V1 blocks have no nparams; it is found, as libs does,
 * as the largest count not above the table's whose lengths add up to len. */
#ifndef SAKER_SCAP_H
#define SAKER_SCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Block types (libs userspace/libscap/scap_savefile.h). */
enum {
    SKR_SCAP_SHB = 0x0A0D0D0A,
    SKR_SCAP_MI = 0x201, SKR_SCAP_MI_INT = 0x8002ABCD,
    SKR_SCAP_PL_V1 = 0x202, SKR_SCAP_PL_V1_INT = 0x8000ABCD,
    SKR_SCAP_PL_V2 = 0x207, SKR_SCAP_PL_V2_INT = 0x8013ABCD,
    SKR_SCAP_PL_V3 = 0x209, SKR_SCAP_PL_V3_INT = 0x8014ABCD,
    SKR_SCAP_PL_V4 = 0x210, SKR_SCAP_PL_V5 = 0x211, SKR_SCAP_PL_V6 = 0x212,
    SKR_SCAP_PL_V7 = 0x213, SKR_SCAP_PL_V8 = 0x214, SKR_SCAP_PL_V9 = 0x215,
    SKR_SCAP_FDL = 0x203, SKR_SCAP_FDL_INT = 0x8001ABCD, SKR_SCAP_FDL_V2 = 0x218,
    SKR_SCAP_EV = 0x204, SKR_SCAP_EV_INT = 0x8010ABCD, SKR_SCAP_EV_V2 = 0x216,
    SKR_SCAP_EV_V2_LARGE = 0x221,
    SKR_SCAP_EVF = 0x208, SKR_SCAP_EVF_V2 = 0x217, SKR_SCAP_EVF_V2_LARGE = 0x222,
    SKR_SCAP_IL = 0x205, SKR_SCAP_IL_INT = 0x8011ABCD, SKR_SCAP_IL_V2 = 0x219,
    SKR_SCAP_UL = 0x206, SKR_SCAP_UL_INT = 0x8012ABCD, SKR_SCAP_UL_V2 = 0x220,
};
#define SKR_SCAP_BYTE_ORDER_MAGIC 0x1A2B3C4Du

/* libs parameter types (driver/ppm_events_public.h enum ppm_param_type). */
enum skr_scap_ptype {
    SKR_SPT_NONE = 0, SKR_SPT_INT8 = 1, SKR_SPT_INT16 = 2, SKR_SPT_INT32 = 3,
    SKR_SPT_INT64 = 4, SKR_SPT_UINT8 = 5, SKR_SPT_UINT16 = 6, SKR_SPT_UINT32 = 7,
    SKR_SPT_UINT64 = 8, SKR_SPT_CHARBUF = 9, SKR_SPT_BYTEBUF = 10, SKR_SPT_ERRNO = 11,
    SKR_SPT_SOCKADDR = 12, SKR_SPT_SOCKTUPLE = 13, SKR_SPT_FD = 14, SKR_SPT_PID = 15,
    SKR_SPT_FDLIST = 16, SKR_SPT_FSPATH = 17, SKR_SPT_SYSCALLID = 18, SKR_SPT_SIGTYPE = 19,
    SKR_SPT_RELTIME = 20, SKR_SPT_ABSTIME = 21, SKR_SPT_PORT = 22, SKR_SPT_L4PROTO = 23,
    SKR_SPT_SOCKFAMILY = 24, SKR_SPT_BOOL = 25, SKR_SPT_IPV4ADDR = 26, SKR_SPT_DYN = 27,
    SKR_SPT_FLAGS8 = 28, SKR_SPT_FLAGS16 = 29, SKR_SPT_FLAGS32 = 30, SKR_SPT_UID = 31,
    SKR_SPT_GID = 32, SKR_SPT_DOUBLE = 33, SKR_SPT_SIGSET = 34, SKR_SPT_CHARBUFARRAY = 35,
    SKR_SPT_CHARBUF_PAIR_ARRAY = 36, SKR_SPT_IPV4NET = 37, SKR_SPT_IPV6ADDR = 38,
    SKR_SPT_IPV6NET = 39, SKR_SPT_IPADDR = 40, SKR_SPT_IPNET = 41, SKR_SPT_MODE = 42,
    SKR_SPT_FSRELPATH = 43, SKR_SPT_ENUMFLAGS8 = 44, SKR_SPT_ENUMFLAGS16 = 45,
    SKR_SPT_ENUMFLAGS32 = 46, SKR_SPT_FD32 = 47, SKR_SPT_PID32 = 48,
};
/* libs print formats (enum ppm_print_format) that change how saker shows a
 * number. */
enum { SKR_SPF_HEX = 2, SKR_SPF_OCT = 6 };
/* libs event flags (enum ppm_event_flags) the reader needs. */
#define SKR_SCAP_EF_UNUSED (1u << 6)
#define SKR_SCAP_EF_LARGE_PAYLOAD (1u << 11)

struct skr_scap_param {
    const char *name;
    uint8_t type;   /* enum skr_scap_ptype */
    uint8_t fmt;    /* libs print format */
};

struct skr_scap_evinfo {
    const char *name;
    uint32_t category;  /* libs ppm_event_category bits */
    uint32_t flags;     /* libs ppm_event_flags bits */
    uint8_t nparams;
    const struct skr_scap_param *params;
};

/* Event ids at or above this are unknown to saker (a newer libs): such
 * events are skipped and counted, as libs itself does. */
#define SKR_SCAP_EVENT_MAX 454
extern const struct skr_scap_evinfo skr_scap_events[SKR_SCAP_EVENT_MAX];

/* Names of libs' syscall codes (PPM_SC_*, lower case): the "ID" parameter
 * of the generic events (ids 0 and 1, "syscall"), which sysdig shows as
 * evt.type. NULL for code 0 and codes libs does not define: sysdig then
 * shows "<unknown>". */
#define SKR_SCAP_SYSCALL_MAX 454
extern const char *const skr_scap_syscall_names[SKR_SCAP_SYSCALL_MAX];

/* sysdig 0.29.3 (Debian 12's, built from libs git e5c53d64) knows the
 * event ids below this and skips events of higher ids without numbering
 * them; saker, like newer libs and sysdig 0.36, numbers them (in the
 * corpus: the useradded/groupadded events of libs__sample.scap and the
 * 2023 sysflow captures). Where 0.29.3 names an event id or a syscall code
 * otherwise, these give its name (NULL: the same as the tables above). */
#define SKR_SCAP_EVENT_MAX_SYSDIG_0_29 336
extern const char *const skr_scap_event_names_sysdig029[SKR_SCAP_EVENT_MAX_SYSDIG_0_29];
extern const char *const skr_scap_syscall_names_sysdig029[SKR_SCAP_SYSCALL_MAX];

/* True when the bytes start like a scap capture (section header block type
 * and byte-order magic). */
bool skr_scap_sniff(const uint8_t *p, size_t n);

struct skr_scap_damage {
    int kind;              /* enum skr_damage_kind */
    uint64_t offset;       /* in the (uncompressed) capture */
    long block_no;         /* scap block number, 0 = section header */
    uint64_t events_lost;
    char what[200];
};

/* A capture converted into a saker trace image. */
struct skr_scap_image {
    uint8_t *data;
    size_t len;
    struct skr_scap_damage *damage;
    size_t ndamage;
};

/* Converts a whole capture (raw scap bytes, already gunzipped) into a trace
 * image. notes are "key=value" header options to add (compression, sizes).
 * Returns 0, or -1 with a one-line reason in err when the bytes are not a
 * usable capture. Damage after the section header does not fail: it is
 * listed in out->damage and the events before it are kept. */
int skr_scap_convert(const uint8_t *data, size_t len, const char *const *notes, size_t nnotes,
                     struct skr_scap_image *out, char *err, size_t errlen);
void skr_scap_image_free(struct skr_scap_image *img);

/* Loads a file that may be a raw or gzip'd capture: returns 1 with the raw
 * capture bytes in *data (malloc'd) and whether it was gzip'd, 0 when the
 * file is neither (nothing allocated), or -1 with the reason in err. A gzip
 * stream cut short yields the bytes before the cut and a message in
 * *gz_damage (empty when none). */
int skr_scap_load(const uint8_t *head, size_t headlen, int fd, const uint8_t *mem, size_t memlen,
                  uint8_t **data, size_t *len, bool *gzipped, char *gz_damage, size_t gzlen,
                  char *err, size_t errlen);

/* The libs fd type (scap_fd_type) as the character sysdig shows (fd.typechar). */
char skr_scap_fd_typechar(int type);

#endif
