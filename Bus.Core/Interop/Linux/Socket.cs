using System.Runtime.InteropServices;

namespace Buses.Interop;

// C structures and constants of <sys/socket.h>, <poll.h>, <net/if.h>, <sys/epoll.h>,
// <sys/eventfd.h> and <fcntl.h>, with their C names so they can be checked against the headers.
// Pointer and size_t members are nint/nuint, so one declaration fits LP64 (x86-64, arm64) and
// ILP32 (armhf) alike.
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct iovec
{
    public void* iov_base;
    public nuint iov_len;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct msghdr
{
    public void* msg_name;
    public uint msg_namelen;
    public iovec* msg_iov;
    public nuint msg_iovlen;
    public void* msg_control;
    public nuint msg_controllen;
    public int msg_flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct mmsghdr
{
    public msghdr msg_hdr;
    public uint msg_len;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct cmsghdr
{
    public nuint cmsg_len;
    public int cmsg_level;
    public int cmsg_type;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct timespec
{
    public nint tv_sec;
    public nint tv_nsec;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct pollfd
{
    public int fd;
    public short events;
    public short revents;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct if_nameindex
{
    public uint if_index;
    public byte* if_name;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ucred
{
    public int pid;
    public uint uid;
    public uint gid;
}

internal static class Constants
{
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    internal const int SOL_SOCKET = 1;
    internal const int SO_TYPE = 3;
    internal const int SO_ERROR = 4;
    internal const int SO_RCVBUF = 8;
    internal const int SO_PEERCRED = 17;
    internal const int SO_TIMESTAMPNS_OLD = 35;
    internal const int SO_TIMESTAMPING_OLD = 37;
    internal const int SO_PROTOCOL = 38;
    internal const int SO_DOMAIN = 39;
    internal const int SO_RXQ_OVFL = 40;
    internal const int SOMAXCONN = 4096;

    internal const int MSG_DONTWAIT = 0x40;
    internal const int MSG_NOSIGNAL = 0x4000;
    internal const int MSG_WAITFORONE = 0x10000;
    internal const int MSG_CMSG_CLOEXEC = 0x40000000;

    internal const int F_GETFD = 1;
    internal const int F_SETFD = 2;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int F_DUPFD_CLOEXEC = 1030;
    internal const int FD_CLOEXEC = 1;
    internal const int O_NONBLOCK = 0x800;

    internal const short POLLIN = 0x1;
    internal const short POLLPRI = 0x2;
    internal const short POLLOUT = 0x4;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;
    internal const short POLLNVAL = 0x20;

    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const uint EPOLLIN = 0x1;
    internal const uint EPOLLOUT = 0x4;
    internal const uint EPOLLERR = 0x8;
    internal const uint EPOLLHUP = 0x10;
    internal const uint EPOLLRDHUP = 0x2000;
    internal const uint EPOLLET = 0x80000000;

    internal const int IFNAMSIZ = 16;
}
