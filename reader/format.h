/* format.h -- the saker trace format (.skr): constants and on-disk layouts.
 *
 * This header is the code's copy of man/saker-trace.5, which is the
 * specification. Section numbers (§N) below refer to that page. Every
 * integer on disk is little-endian; nothing is written by copying a struct.
 *
 * §2 FILE LAYOUT
 *
 *   offset 0   preamble, 16 bytes
 *   offset 16  block 0: a HEADER block
 *              blocks: EVENTS, CHECKPOINT, STATS, in write order
 *              an INDEX block (absent when the writer did not finish)
 *   EOF-32     trailer, 32 bytes (absent when the writer did not finish)
 *
 * §3 PREAMBLE (16 bytes)
 *
 *   off size  field
 *     0    8  magic  89 53 4B 52 0D 0A 1A 0A  ("\x89SKR\r\n\x1a\n")
 *     8    2  version major (u16)   a reader refuses another major
 *    10    2  version minor (u16)   a reader accepts any minor
 *    12    4  reserved, zero
 *
 * §4 BLOCK (56-byte fixed header, then meta, then payload)
 *
 *   off size  field
 *     0    8  sync marker  E5 53 4B 42 4C 4B 0D 0A  ("\xe5SKBLK\r\n")
 *     8    1  type         1 HEADER, 2 EVENTS, 3 CHECKPOINT, 4 STATS, 5 INDEX
 *     9    1  codec        0 none, 1 zstd (one frame)
 *    10    2  meta_len     bytes of block metadata after the fixed header
 *    12    4  stored_len   payload bytes on disk
 *    16    4  raw_len      payload bytes after decoding
 *    20    4  count        events (EVENTS), records (others)
 *    24    8  min_ts       ns since the epoch; smallest time in the block
 *    32    8  max_ts       largest time in the block
 *    40    8  first_evnum  number of the first event (EVENTS); for a
 *                          CHECKPOINT the number of the next event
 *    48    4  payload_crc  CRC-32 (zlib polynomial) of the stored payload
 *    52    4  header_crc   CRC-32 of bytes 0..51 followed by the meta bytes
 *    56  meta_len  meta    EVENTS: bitmap of event type ids present
 *                          (bit i of byte i/8 is type i); others: empty
 *    ...  stored_len  payload
 *
 *   Limits (a larger value is corruption): meta_len <= 8192,
 *   raw_len <= 256 MiB, stored_len <= raw_len + 64 KiB.
 *
 * §5 ENCODINGS
 *   varint  unsigned LEB128, at most 10 bytes, value fits in 64 bits
 *   zigzag  signed value v stored as varint (v << 1) ^ (v >> 63)
 *   bytes   varint length, then that many bytes
 *   record  a sequence of fields; each field is a varint key
 *           (tag << 2 | wire) then a value: wire 0 varint, wire 1 zigzag,
 *           wire 2 bytes (a nested record is bytes). Unknown tags are
 *           skipped by their wire type; wire 3 is invalid.
 *
 * §6 HEADER payload: one record, fields SKR_HDR_*; the event schema is
 *    repeated SKR_HDR_SCHEMA_EVENT fields, each a nested record SKR_SEV_*,
 *    whose parameters are nested records SKR_SPARAM_*.
 *
 * §7 EVENTS payload: count events stored as columns (values of one kind
 *    together, which is what compresses):
 *      varint ncolumns
 *      ncolumns x { varint column id, varint byte length }
 *      the columns' bytes, in directory order
 *    Column ids: 0 type id (varint), 1 time delta (zigzag: from the
 *    previous event; the first event of a block stores its absolute time),
 *    2 tid (zigzag), 3 cpu (varint), 4 parameters missing at the end
 *    (varint: the schema's count minus the event's; usually 0), and 16 + type * 64 + position: that parameter's values for
 *    the events of that type, each by its schema wire type. Event i takes
 *    the next value of every base column, then of its type's parameter
 *    columns 0..nparams-1. An empty column may be left out; every column
 *    must be used up exactly by the count events.
 *    Event numbers are implicit: first_evnum + position in the block.
 * §8 CHECKPOINT payload: count records, each one field SKR_CP_* whose value
 *    is a nested record (thread, fd, user, group, container).
 * §9 STATS payload: count fields SKR_ST_CPU, each a nested record of
 *    cumulative per-CPU counters at max_ts.
 * §10 INDEX payload: one record: SKR_IX_BLOCK entries (nested), per-type
 *    event totals, total events.
 *
 * §11 TRAILER (32 bytes, the last bytes of the file)
 *     0    8  magic  E5 53 4B 45 4E 44 0D 0A  ("\xe5SKEND\r\n")
 *     8    8  offset of the INDEX block (u64)
 *    16    8  offset of this trailer (u64) == file size - 32
 *    24    4  reserved, zero
 *    28    4  CRC-32 of bytes 0..27
 */
#ifndef SAKER_FORMAT_H
#define SAKER_FORMAT_H

#include <stdint.h>
#include <stddef.h>

#define SKR_MAGIC "\x89SKR\r\n\x1a\n"
#define SKR_MAGIC_LEN 8
#define SKR_VERSION_MAJOR 1
#define SKR_VERSION_MINOR 0
#define SKR_PREAMBLE_LEN 16

#define SKR_SYNC "\xe5SKBLK\r\n"
#define SKR_SYNC_LEN 8
#define SKR_BLOCK_HDR_LEN 56
#define SKR_MAX_META_LEN 8192u
#define SKR_MAX_RAW_LEN (256u << 20)
#define SKR_MAX_STORED_SLACK (64u << 10)

#define SKR_TRAILER_MAGIC "\xe5SKEND\r\n"
#define SKR_TRAILER_LEN 32

#define SKR_DEFAULT_BLOCK_SIZE (1u << 20)
#define SKR_DEFAULT_ZSTD_LEVEL 3

/* Event type ids are < SKR_MAX_EVENT_TYPES so a block bitmap is bounded. */
#define SKR_MAX_EVENT_TYPES 4096
#define SKR_MAX_PARAMS 64

enum skr_block_type {
    SKR_BLK_HEADER = 1,
    SKR_BLK_EVENTS = 2,
    SKR_BLK_CHECKPOINT = 3,
    SKR_BLK_STATS = 4,
    SKR_BLK_INDEX = 5,
};

enum skr_codec { SKR_CODEC_NONE = 0, SKR_CODEC_ZSTD = 1 };

enum skr_wire { SKR_WIRE_VARINT = 0, SKR_WIRE_ZIGZAG = 1, SKR_WIRE_BYTES = 2 };

/* §6 header fields */
enum skr_header_tag {
    SKR_HDR_CREATED_NS = 1,      /* varint */
    SKR_HDR_HOSTNAME = 2,        /* bytes */
    SKR_HDR_KERNEL_RELEASE = 3,  /* bytes */
    SKR_HDR_ARCH = 4,            /* bytes */
    SKR_HDR_BOOT_NS = 5,         /* varint */
    SKR_HDR_NCPUS = 6,           /* varint */
    SKR_HDR_RECORDER = 7,        /* bytes: program name */
    SKR_HDR_RECORDER_VERSION = 8,/* bytes */
    SKR_HDR_CMDLINE_ARG = 9,     /* bytes, repeated: recorder argv */
    SKR_HDR_SNAPLEN = 10,        /* varint */
    SKR_HDR_FILTER = 11,         /* bytes */
    SKR_HDR_OPTION = 12,         /* bytes, repeated: "key=value" */
    SKR_HDR_BLOCK_SIZE = 13,     /* varint */
    SKR_HDR_ZSTD_LEVEL = 14,     /* zigzag */
    SKR_HDR_FIRST_EVNUM = 15,    /* varint */
    SKR_HDR_SCHEMA_EVENT = 16,   /* bytes, repeated: nested SKR_SEV_* */
    SKR_HDR_KERNEL_VERSION = 17, /* bytes */
    SKR_HDR_FILE_SEQ = 18,       /* varint: position in a rotated set */
    SKR_HDR_SOURCE_FORMAT = 19,  /* bytes: "saker", "scap" */
};

/* §6 schema event fields */
enum skr_schema_event_tag {
    SKR_SEV_ID = 1,        /* varint */
    SKR_SEV_NAME = 2,      /* bytes */
    SKR_SEV_DIR = 3,       /* varint: enum skr_dir */
    SKR_SEV_CATEGORY = 4,  /* bytes: "file", "net", "process", ... */
    SKR_SEV_PARAM = 5,     /* bytes, repeated: nested SKR_SPARAM_* */
};

enum skr_schema_param_tag {
    SKR_SPARAM_NAME = 1, /* bytes */
    SKR_SPARAM_TYPE = 2, /* varint: enum skr_ptype */
    SKR_SPARAM_WIRE = 3, /* varint: enum skr_wire */
};

/* Direction: a saker recording has one COMBINED event per syscall (entry
 * arguments and return value); imported scap captures keep ENTER/EXIT. */
enum skr_dir { SKR_DIR_NONE = 0, SKR_DIR_ENTER = 1, SKR_DIR_EXIT = 2, SKR_DIR_COMBINED = 3 };

/* §5.1 parameter types: meaning and display. The wire type of each is
 * written in the schema too, so a reader that does not know a type still
 * decodes it. */
enum skr_ptype {
    SKR_PT_INT = 1,       /* zigzag, decimal */
    SKR_PT_UINT = 2,      /* varint, decimal */
    SKR_PT_HEX = 3,       /* varint, 0x... */
    SKR_PT_FD = 4,        /* zigzag */
    SKR_PT_PID = 5,       /* zigzag */
    SKR_PT_ERRNO = 6,     /* zigzag: a return value, negative is -errno */
    SKR_PT_UID = 7,       /* varint */
    SKR_PT_GID = 8,       /* varint */
    SKR_PT_MODE = 9,      /* varint, octal */
    SKR_PT_FLAGS = 10,    /* varint, hex */
    SKR_PT_TIME = 11,     /* varint, ns since the epoch */
    SKR_PT_DURATION = 12, /* varint, ns */
    SKR_PT_STRING = 13,   /* bytes */
    SKR_PT_PATH = 14,     /* bytes */
    SKR_PT_DATA = 15,     /* bytes: I/O buffer, possibly cut to snaplen */
    SKR_PT_STRLIST = 16,  /* bytes: strings each ended by a NUL byte */
    SKR_PT_SOCKADDR = 17, /* bytes: §5.2 */
    SKR_PT_SOCKTUPLE = 18,/* bytes: §5.3 */
    SKR_PT_SIGNAL = 19,   /* varint */
    SKR_PT_FDLIST = 20,   /* bytes: §5.4 */
    SKR_PT_IPADDR = 21,   /* bytes: 4 or 16 address bytes, network order */
    SKR_PT_DOUBLE = 22,   /* varint: the IEEE 754 binary64 bits */
    SKR_PT_MAX_KNOWN = 22,
};

/* §5.2 SOCKADDR: u8 family (Linux AF_*), then
 *   AF_INET  (2):  4 address bytes (network order), u16 port
 *   AF_INET6 (10): 16 address bytes, u16 port
 *   AF_UNIX  (1):  the path bytes (no NUL)
 *   other:         nothing more
 * §5.3 SOCKTUPLE: u8 family, then
 *   AF_INET:  src addr (4), src port (u16), dst addr (4), dst port (u16)
 *   AF_INET6: src addr (16), src port, dst addr (16), dst port
 *   AF_UNIX:  src socket id (u64), dst socket id (u64), path bytes
 * Ports are u16 little-endian like every other integer.
 * §5.4 FDLIST: u16 count, then count x { u64 fd (signed), u16 flags }. */

/* §8 checkpoint records */
enum skr_checkpoint_tag {
    SKR_CP_THREAD = 1, SKR_CP_FD = 2, SKR_CP_USER = 3,
    SKR_CP_GROUP = 4, SKR_CP_CONTAINER = 5, SKR_CP_IFACE = 6,
};
enum skr_cp_thread_tag {
    SKR_CPT_TID = 1, SKR_CPT_PID = 2, SKR_CPT_PPID = 3, SKR_CPT_VTID = 4,
    SKR_CPT_VPID = 5, SKR_CPT_COMM = 6, SKR_CPT_EXE = 7, SKR_CPT_EXEPATH = 8,
    SKR_CPT_ARG = 9 /* repeated */, SKR_CPT_CWD = 10, SKR_CPT_ENV = 11 /* repeated */,
    SKR_CPT_UID = 12, SKR_CPT_GID = 13, SKR_CPT_EUID = 14, SKR_CPT_EGID = 15,
    SKR_CPT_LOGINUID = 16, SKR_CPT_TTY = 17, SKR_CPT_START_NS = 18,
    SKR_CPT_CGROUP = 19 /* repeated "controller=path" */, SKR_CPT_CONTAINER_ID = 20,
    SKR_CPT_SID = 21, SKR_CPT_PGID = 22, SKR_CPT_VPGID = 23, SKR_CPT_FLAGS = 24,
    /* §8.1: from scap process lists */
    SKR_CPT_FDLIMIT = 25, SKR_CPT_ROOT = 26, SKR_CPT_VMSIZE_KB = 27, SKR_CPT_VMRSS_KB = 28,
    SKR_CPT_VMSWAP_KB = 29, SKR_CPT_PFMAJOR = 30, SKR_CPT_PFMINOR = 31,
    SKR_CPT_PIDNS_INIT_START_NS = 32, SKR_CPT_CAP_INHERITABLE = 33,
    SKR_CPT_CAP_PERMITTED = 34, SKR_CPT_CAP_EFFECTIVE = 35, SKR_CPT_EXE_WRITABLE = 36,
    SKR_CPT_EXE_UPPER_LAYER = 37, SKR_CPT_EXE_LOWER_LAYER = 38, SKR_CPT_EXE_FROM_MEMFD = 39,
    SKR_CPT_EXE_INO = 40, SKR_CPT_EXE_INO_CTIME = 41, SKR_CPT_EXE_INO_MTIME = 42,
};
enum skr_cp_fd_tag {
    SKR_CPF_PID = 1, SKR_CPF_FD = 2, SKR_CPF_TYPE = 3 /* varint: fd type char */,
    SKR_CPF_NAME = 4, SKR_CPF_FLAGS = 5, SKR_CPF_TUPLE = 6 /* SOCKTUPLE */,
    SKR_CPF_ROLE = 7 /* 1 client, 2 server */, SKR_CPF_INO = 8, SKR_CPF_DEV = 9,
    SKR_CPF_L4PROTO = 10 /* scap l4 protocol */, SKR_CPF_PPM_FLAGS = 11 /* libs PPM_O_* */,
    SKR_CPF_SCAP_TYPE = 12 /* libs scap_fd_type */,
};
enum skr_cp_user_tag {
    SKR_CPU_ID = 1, SKR_CPU_NAME = 2, SKR_CPU_HOME = 3, SKR_CPU_SHELL = 4,
    SKR_CPU_CONTAINER_ID = 5, SKR_CPU_GID = 6 /* USER: primary group */,
};
enum skr_cp_container_tag {
    SKR_CPC_ID = 1, SKR_CPC_NAME = 2, SKR_CPC_IMAGE = 3, SKR_CPC_RUNTIME = 4,
    SKR_CPC_PRIVILEGED = 5, SKR_CPC_LABEL = 6 /* repeated "k=v" */,
    SKR_CPC_IMAGE_ID = 7, SKR_CPC_IMAGE_REPO = 8, SKR_CPC_IMAGE_TAG = 9,
    SKR_CPC_IMAGE_DIGEST = 10, SKR_CPC_IP = 11, SKR_CPC_JSON = 12 /* scap: the event's JSON */,
    SKR_CPC_TYPE = 13 /* libs container type number */,
};
/* §8.5 interfaces (scap interface lists) */
enum skr_cp_iface_tag {
    SKR_CPI_NAME = 1, SKR_CPI_FAMILY = 2 /* 2 AF_INET, 10 AF_INET6 */,
    SKR_CPI_ADDR = 3, SKR_CPI_NETMASK = 4, SKR_CPI_BCAST = 5 /* bytes, network order */,
    SKR_CPI_LINKSPEED = 6,
};

/* §9 stats: repeated SKR_ST_CPU nested records */
enum skr_stats_tag { SKR_ST_CPU = 1 };
enum skr_stats_cpu_tag { SKR_STC_CPU = 1, SKR_STC_EVENTS = 2, SKR_STC_DROPS = 3 };

/* §10 index */
enum skr_index_tag {
    SKR_IX_BLOCK = 1,       /* bytes, repeated: nested SKR_IXB_* */
    SKR_IX_TYPE_COUNT = 2,  /* bytes, repeated: nested {1 type id, 2 count} */
    SKR_IX_TOTAL_EVENTS = 3,/* varint */
};
enum skr_index_block_tag {
    SKR_IXB_OFFSET = 1, SKR_IXB_TYPE = 2, SKR_IXB_MIN_TS = 3, SKR_IXB_MAX_TS = 4,
    SKR_IXB_FIRST_EVNUM = 5, SKR_IXB_COUNT = 6, SKR_IXB_BITMAP = 7,
    SKR_IXB_LENGTH = 8 /* header + meta + payload */, SKR_IXB_CODEC = 9,
    SKR_IXB_STORED_LEN = 10, SKR_IXB_RAW_LEN = 11,
};

#endif
