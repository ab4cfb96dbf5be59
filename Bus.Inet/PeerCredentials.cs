using System.Runtime.InteropServices;

namespace Buses.Inet;

/// <summary>
/// The credentials of the process at the other end of a UNIX socket (<c>struct ucred</c> from
/// SO_PEERCRED): as they were when it called <c>connect</c> or <c>socketpair</c>, not as they are now.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct PeerCredentials : IEquatable<PeerCredentials>
{
    private readonly int _processId;
    private readonly uint _userId;
    private readonly uint _groupId;

    /// <summary>Creates credentials (for tests and for SCM_CREDENTIALS messages).</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="groupId">The group id.</param>
    public PeerCredentials(int processId, uint userId, uint groupId)
    {
        _processId = processId;
        _userId = userId;
        _groupId = groupId;
    }

    /// <summary>The peer's process id (in this process's pid namespace; 0 when it has none there).</summary>
    public int ProcessId => _processId;

    /// <summary>The peer's effective user id.</summary>
    public uint UserId => _userId;

    /// <summary>The peer's effective group id.</summary>
    public uint GroupId => _groupId;

    /// <inheritdoc/>
    public bool Equals(PeerCredentials other) => _processId == other._processId && _userId == other._userId && _groupId == other._groupId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PeerCredentials other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_processId, _userId, _groupId);

    /// <summary><c>pid=… uid=… gid=…</c>.</summary>
    public override string ToString() => $"pid={_processId} uid={_userId} gid={_groupId}";

    /// <summary>Equality of all three ids.</summary>
    public static bool operator ==(PeerCredentials left, PeerCredentials right) => left.Equals(right);

    /// <summary>Inequality of any id.</summary>
    public static bool operator !=(PeerCredentials left, PeerCredentials right) => !left.Equals(right);
}
