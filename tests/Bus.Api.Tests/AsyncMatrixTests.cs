using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace Buses.Api.Tests;

// The README promises an async twin of every blocking call. A member counts as blocking when its name
// starts with an I/O verb and it returns neither a task nor a stream; its twin is Name + "Async",
// returns ValueTask or ValueTask<T>, and takes a CancellationToken.
public sealed class AsyncMatrixTests
{
    private static readonly string[] s_blockingVerbs =
    [
        "Send", "Receive", "Accept", "Connect", "TryConnect", "TrySend", "TryReceive", "Wait", "Execute", "Query",
        "Request", "Claim", "Subscribe", "Ping", "Scan", "Transfer",
    ];

    // Members that start with a verb but do not block, each with the reason.
    private static readonly Dictionary<string, string> s_notBlocking = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> BlockingMembers()
    {
        var data = new TheoryData<string>();
        foreach (MethodInfo method in Blocking())
        {
            data.Add($"{method.DeclaringType!.FullName}.{method.Name}");
        }

        return data;
    }

    [Fact]
    public void The_matrix_finds_the_core_blocking_calls()
    {
        // Guards the finder itself: if it found nothing, every twin check would pass vacuously.
        var names = Blocking().Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        foreach (string expected in new[] { "BusSocket.Receive", "BusSocket.SendTo", "BusSocket.Accept", "BusSocket.ReceiveBatch", "CanRawSocket.SendBatch", "NetlinkSocket.Execute" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(BlockingMembers))]
    public void Every_blocking_member_has_an_async_twin_with_a_cancellation_token(string member)
    {
        int dot = member.LastIndexOf('.');
        Type type = ShippedAssemblies.PublicTypes.Single(t => t.FullName == member[..dot]);
        string name = member[(dot + 1)..];
        MethodInfo[] twins = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == name + "Async")
            .ToArray();
        Assert.True(twins.Length > 0, $"{member} blocks but {type.Name} has no {name}Async");
        Assert.True(twins.Any(IsValueTaskWithToken), $"{type.Name}.{name}Async must return ValueTask or ValueTask<T> and take a CancellationToken");
    }

    [Fact]
    public void Try_members_return_an_errno_for_syscalls_or_a_bool_for_parsing()
    {
        // The naming rule, settled once: Try* over a system call returns Errno (Errno.None on success,
        // as Python's connect_ex returns 0), Try* that parses or looks up returns bool with an out value.
        var wrong = new List<string>();
        foreach (Type type in ShippedAssemblies.PublicTypes)
        {
            foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.Name.StartsWith("Try", StringComparison.Ordinal) && !m.IsSpecialName))
            {
                Type result = Unwrap(m.ReturnType);
                bool errno = result == typeof(Errno) || (result.IsGenericType && result.GetGenericArguments()[0] == typeof(Errno));
                bool boolean = result == typeof(bool) && m.GetParameters().Any(p => p.IsOut);
                if (!errno && !boolean)
                {
                    wrong.Add($"{type.Name}.{m.Name} returns {m.ReturnType.Name}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static IEnumerable<MethodInfo> Blocking() =>
        ShippedAssemblies.PublicTypes
            .Where(t => t.IsClass || (t.IsValueType && !t.IsEnum))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !m.Name.EndsWith("Async", StringComparison.Ordinal) && !IsAsyncShaped(m.ReturnType))
            .Where(m => s_blockingVerbs.Any(v => m.Name == v || (m.Name.StartsWith(v, StringComparison.Ordinal) && char.IsUpper(m.Name[v.Length]))))
            .Where(m => !s_notBlocking.ContainsKey($"{m.DeclaringType!.FullName}.{m.Name}"))
            .DistinctBy(m => (m.DeclaringType, m.Name));

    private static bool IsAsyncShaped(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>) || type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)));

    private static bool IsValueTaskWithToken(MethodInfo m) =>
        (m.ReturnType == typeof(ValueTask) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        && m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken));

    private static Type Unwrap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>) ? type.GetGenericArguments()[0]
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTuple<,>) ? type
        : type;
}
