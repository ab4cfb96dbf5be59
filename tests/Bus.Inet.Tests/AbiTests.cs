using Buses.Inet.Interop;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet;

// The layouts and constants Bus.Inet writes by hand, compared with what gcc says from the C headers,
// and the bytes of one address of each family compared with a sockaddr filled in by C code.
public sealed class AbiTests
{
    private const string Program = """
        #define _GNU_SOURCE /* struct ucred */
        #include <arpa/inet.h>
        #include <netinet/in.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <sys/un.h>

        static void hex(const char *name, const void *p, size_t n) {
            printf("%s=", name);
            for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
            printf("\n");
        }

        int main(void) {
            printf("sizeof_sockaddr_in=%zu\n", sizeof(struct sockaddr_in));
            printf("sizeof_sockaddr_in6=%zu\n", sizeof(struct sockaddr_in6));
            printf("offsetof_sin6_scope_id=%zu\n", offsetof(struct sockaddr_in6, sin6_scope_id));
            printf("offsetof_sun_path=%zu\n", offsetof(struct sockaddr_un, sun_path));
            printf("sizeof_sun_path=%zu\n", sizeof(((struct sockaddr_un *)0)->sun_path));
            printf("sizeof_ucred=%zu\n", sizeof(struct ucred));
            printf("offsetof_ucred_uid=%zu\n", offsetof(struct ucred, uid));
            printf("offsetof_ucred_gid=%zu\n", offsetof(struct ucred, gid));
            printf("IPV6_V6ONLY=%d\n", IPV6_V6ONLY);
            printf("SCM_RIGHTS=%d\n", SCM_RIGHTS);
            printf("IPPROTO_TCP=%d\n", IPPROTO_TCP);
            printf("SO_PEERCRED=%d\n", SO_PEERCRED);

            struct sockaddr_in in4; memset(&in4, 0, sizeof in4);
            in4.sin_family = AF_INET; in4.sin_port = htons(8080); inet_pton(AF_INET, "127.0.0.1", &in4.sin_addr);
            hex("inet", &in4, sizeof in4);

            struct sockaddr_in6 in6; memset(&in6, 0, sizeof in6);
            in6.sin6_family = AF_INET6; in6.sin6_port = htons(443); in6.sin6_flowinfo = htonl(74565);
            inet_pton(AF_INET6, "2001:db8::1", &in6.sin6_addr); in6.sin6_scope_id = 3;
            hex("inet6", &in6, sizeof in6);

            struct sockaddr_un un; memset(&un, 0, sizeof un);
            un.sun_family = AF_UNIX; strcpy(un.sun_path, "/run/x.sock");
            hex("unix", &un, offsetof(struct sockaddr_un, sun_path) + strlen(un.sun_path) + 1);

            memset(&un, 0, sizeof un);
            un.sun_family = AF_UNIX; memcpy(un.sun_path, "\0abs", 4);
            hex("unix_abstract", &un, offsetof(struct sockaddr_un, sun_path) + 4);
            return 0;
        }
        """;

    private static Dictionary<string, string> RunC()
    {
        string directory = Directory.CreateTempSubdirectory("buses-inet-abi-").FullName;
        try
        {
            string source = Path.Combine(directory, "abi.c");
            string binary = Path.Combine(directory, "abi");
            File.WriteAllText(source, Program);
            Run("gcc", "-Wall", "-Werror", "-o", binary, source);
            return Run(binary).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts[1]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }

    private static readonly Lazy<Dictionary<string, string>> s_c = new(RunC);

    private static int C(string name) => int.Parse(s_c.Value[name], CultureInfo.InvariantCulture);

    private static string Hex<T>(T address) where T : ISocketAddress
    {
        byte[] bytes = new byte[address.EncodedSize];
        return Convert.ToHexStringLower(bytes.AsSpan(0, address.Encode(bytes)));
    }

    [Fact]
    public void Sizes_offsets_and_constants_match_the_headers()
    {
        Assert.Equal(InetAddress.Size, C("sizeof_sockaddr_in"));
        Assert.Equal(Inet6Address.Size, C("sizeof_sockaddr_in6"));
        Assert.Equal(24, C("offsetof_sin6_scope_id"));
        Assert.Equal(2, C("offsetof_sun_path"));
        Assert.Equal(UnixAddress.MaxPathBytes, C("sizeof_sun_path"));
        Assert.Equal(C("sizeof_ucred"), Marshal.SizeOf<PeerCredentials>());
        Assert.Equal(C("offsetof_ucred_uid"), (int)Marshal.OffsetOf<PeerCredentials>("_userId"));
        Assert.Equal(C("offsetof_ucred_gid"), (int)Marshal.OffsetOf<PeerCredentials>("_groupId"));
        Assert.Equal(InetConstants.IPV6_V6ONLY, C("IPV6_V6ONLY"));
        Assert.Equal(ControlMessageType.Rights, C("SCM_RIGHTS"));
        Assert.Equal(InetConstants.IPPROTO_TCP, C("IPPROTO_TCP"));
        Assert.Equal(InetConstants.SO_PEERCRED, C("SO_PEERCRED"));
    }

    [Fact]
    public void Encoded_addresses_equal_the_bytes_c_fills_in()
    {
        Assert.Equal(s_c.Value["inet"], Hex(new InetAddress(IPAddress.Loopback, 8080)));
        Assert.Equal(s_c.Value["inet6"], Hex(new Inet6Address(IPAddress.Parse("2001:db8::1%3"), 443, 74565)));
        Assert.Equal(s_c.Value["unix"], Hex(UnixAddress.FromPath("/run/x.sock")));
        Assert.Equal(s_c.Value["unix_abstract"], Hex(UnixAddress.FromAbstractName("abs")));
    }
}
