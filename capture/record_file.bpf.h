/* record_file.bpf.h -- the file system calls for record.bpf.c: their path
 * and string arguments, and for opens the file the new fd refers to.
 * Strings are read at exit: the caller's memory is still there.
 *
 *   open, creat              PATH = a0;  FILE of ret (on success)
 *   openat                   PATH = a1;  FILE of ret
 *   openat2                  PATH = a1;  ARGSTRUCT = struct open_how; FILE
 *   unlink, rmdir, mkdir,
 *   chmod, chown, lchown,
 *   chroot, umount2          PATH = a0
 *   chdir                    PATH = a0;  CWD after it (on success)
 *   fchdir                   CWD after it (on success)
 *   unlinkat, mkdirat,
 *   fchmodat, fchownat       PATH = a1
 *   rename, link, symlink    PATH = a0, PATH2 = a1
 *   renameat, renameat2,
 *   linkat                   PATH = a1, PATH2 = a3
 *   symlinkat                PATH = a0 (target), PATH2 = a2 (link path)
 *   mount                    PATH = a0 (source), PATH2 = a1 (target),
 *                            PATH3 = a2 (fs type)
 *   memfd_create             PATH = a0 (name)
 *   init_module              DATA = a0 (image, snaplen bytes), PATH = a2
 *   finit_module             PATH = a1 (module parameters)
 *   fchmod, fchown           the header only */
#ifndef SAKER_RECORD_FILE_BPF_H
#define SAKER_RECORD_FILE_BPF_H

/* The file fd refers to, as stat(2) would name it. */
static __always_inline void rec_file_of(struct rec_hdr *h, long fd)
{
    struct file *f = rec_fd_file(fd);
    struct inode *ino;
    struct rec_file *rf;

    if (!f)
        return;
    ino = BPF_CORE_READ(f, f_inode);
    rf = (void *)rec_blob_start(h);
    if (!rf)
        return;
    rf->ino = BPF_CORE_READ(ino, i_ino);
    rf->dev = BPF_CORE_READ(ino, i_sb, s_dev);
    rf->pad = 0;
    rec_blob_end(h, RB_FILE, sizeof(*rf));
}

/* The current working directory, current->fs->pwd. */
static __always_inline void rec_file_cwd(struct rec_hdr *h)
{
    struct task_struct *t = bpf_get_current_task_btf();
    struct fs_struct *fs = BPF_CORE_READ(t, fs);

    rec_blob_dpath(h, RB_CWD, BPF_CORE_READ(fs, pwd.mnt),
                   BPF_CORE_READ(fs, pwd.dentry));
}

static __always_inline bool rec_file_exit(struct rec_hdr *h, __u32 nr, long ret)
{
    const __u64 *a = h->args;

    switch (nr) {
    case NR_open:
    case NR_creat:
        rec_blob_ustr(h, RB_PATH, (const void *)a[0]);
        if (ret >= 0)
            rec_file_of(h, ret);
        return true;
    case NR_openat:
    case NR_openat2:
        rec_blob_ustr(h, RB_PATH, (const void *)a[1]);
        if (nr == NR_openat2)
            rec_blob_user(h, RB_ARGSTRUCT, (const void *)a[2],
                          rec_min(a[3], sizeof(struct open_how)));
        if (ret >= 0)
            rec_file_of(h, ret);
        return true;
    case NR_chdir:
    case NR_fchdir:
        if (nr == NR_chdir)
            rec_blob_ustr(h, RB_PATH, (const void *)a[0]);
        if (ret == 0)
            rec_file_cwd(h);
        return true;
    case NR_unlink:
    case NR_rmdir:
    case NR_mkdir:
    case NR_chmod:
    case NR_chown:
    case NR_lchown:
    case NR_chroot:
    case NR_umount2:
    case NR_memfd_create:
        rec_blob_ustr(h, RB_PATH, (const void *)a[0]);
        return true;
    case NR_unlinkat:
    case NR_mkdirat:
    case NR_fchmodat:
    case NR_fchownat:
    case NR_finit_module:
        rec_blob_ustr(h, RB_PATH, (const void *)a[1]);
        return true;
    case NR_rename:
    case NR_link:
    case NR_symlink:
    case NR_mount:
        rec_blob_ustr(h, RB_PATH, (const void *)a[0]);
        rec_blob_ustr(h, RB_PATH2, (const void *)a[1]);
        if (nr == NR_mount)
            rec_blob_ustr(h, RB_PATH3, (const void *)a[2]);
        return true;
    case NR_renameat:
    case NR_renameat2:
    case NR_linkat:
        rec_blob_ustr(h, RB_PATH, (const void *)a[1]);
        rec_blob_ustr(h, RB_PATH2, (const void *)a[3]);
        return true;
    case NR_symlinkat:
        rec_blob_ustr(h, RB_PATH, (const void *)a[0]);
        rec_blob_ustr(h, RB_PATH2, (const void *)a[2]);
        return true;
    case NR_init_module:
        rec_blob_user(h, RB_DATA, (const void *)a[0], rec_min(a[1], cfg.snaplen));
        rec_blob_ustr(h, RB_PATH, (const void *)a[2]);
        return true;
    case NR_fchmod:
    case NR_fchown:
        return true;
    }
    return false;
}

#endif
