"""The syscall filter of every sandbox: a seccomp-BPF program compiled by libseccomp (through ``pyseccomp``).

The filter allows by default and refuses, with ``EPERM`` (a ``PermissionError`` in Python), what lets a process leave
or reach beyond its sandbox — a denylist, because the interpreter, NumPy, SciPy and SymPy need a long and changing
list of ordinary calls, while what is dangerous is short and stable. Syscalls newer than the libseccomp we link
against are named by their x86-64 numbers. Calls of another ABI (i386's ``int 0x80``, x32) kill the process: the
filter is compiled for the native architecture only, and libseccomp refuses the others.

The program is exported as raw BPF and installed by :mod:`.confine` *inside* the sandbox, after the interpreter has
started and before any student code runs — which is how ``execve`` can be refused outright.
"""
import errno
import functools
import tempfile

# What no student code needs and every escape wants, by family.
DENIED = (
    "execve", "execveat",                                     # running another program
    "fork", "vfork",                                          # new processes (clone: threads only, see below)
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",  # reading or steering another process
    "pidfd_open", "pidfd_getfd", "pidfd_send_signal",
    "socket", "socketpair",                                   # any network or socket (the namespace has none anyway)
    "mknod", "mknodat",                                       # devices, FIFOs
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "keyctl", "add_key", "request_key",                       # the kernel keyrings are per user, not per sandbox
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "name_to_handle_at", "open_by_handle_at",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff",
    "acct", "quotactl", "syslog", "iopl", "ioperm", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "sethostname", "setdomainname", "fanotify_init", "lookup_dcookie", "uselib", "vhangup", "move_pages",
    "migrate_pages",
)
# Newer than libseccomp 2.5 (Debian 12): setxattrat, removexattrat (Linux 6.13), open_tree_attr (6.15).
DENIED_NUMBERS = (463, 466, 467)
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = (0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080,
                    0x02000000)     # NEWNS, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME, NEWCGROUP
TIOCSTI, TIOCLINUX = 0x5412, 0x541C  # typing into a terminal


@functools.lru_cache(maxsize=1)
def program():
    """The filter as raw BPF bytes (compiled once per process)."""
    import pyseccomp as sc

    deny = sc.ERRNO(errno.EPERM)
    rules = sc.SyscallFilter(sc.ALLOW)
    rules.set_attr(sc.Attr.ACT_BADARCH, sc.KILL_PROCESS)
    for name in DENIED:
        rules.add_rule(deny, name)
    for number in DENIED_NUMBERS:
        rules.add_rule(deny, number)
    # clone makes threads only: a new process (no CLONE_THREAD) or a new namespace is refused. clone3 passes its
    # flags in memory, which a filter cannot read: ENOSYS makes the C library fall back to clone.
    rules.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    for flag in CLONE_NAMESPACES:
        rules.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    rules.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    rules.add_rule(deny, "prlimit64", sc.Arg(0, sc.NE, 0))   # limits of its own process only (0 = itself)
    for request in (TIOCSTI, TIOCLINUX):
        rules.add_rule(deny, "ioctl", sc.Arg(1, sc.EQ, request))
    with tempfile.TemporaryFile() as stream:
        rules.export_bpf(stream)
        stream.seek(0)
        return stream.read()
