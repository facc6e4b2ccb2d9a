using System.Net;
using System.Net.Sockets;

namespace VoxCpm.Hub.Synthesis.PromptAudio;

/// <summary>Which IP addresses a prompt URL may reach: public unicast only, unless private addresses are allowed.</summary>
internal static class AddressPolicy
{
    /// <summary>Null when <paramref name="address"/> is public; else the kind of address, for the error message.</summary>
    public static string? NonPublicKind(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return NonPublicKind(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IPv4Kind(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IPv6Kind(address),
            _ => "non-IP",
        };
    }

    private static string? IPv4Kind(byte[] b) => (b[0], b[1]) switch
    {
        (0, _) => "unspecified (0.0.0.0/8)",
        (10, _) => "private (10.0.0.0/8)",
        (100, >= 64 and <= 127) => "shared (100.64.0.0/10)",
        (127, _) => "loopback (127.0.0.0/8)",
        (169, 254) => "link-local (169.254.0.0/16)",
        (172, >= 16 and <= 31) => "private (172.16.0.0/12)",
        (192, 0) when b[2] == 0 => "special (192.0.0.0/24)",
        (192, 168) => "private (192.168.0.0/16)",
        (198, 18 or 19) => "benchmarking (198.18.0.0/15)",
        ( >= 224 and <= 239, _) => "multicast (224.0.0.0/4)",
        ( >= 240, _) => "reserved (240.0.0.0/4)",
        _ => null,
    };

    private static string? IPv6Kind(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address))
        {
            return "loopback (::1)";
        }

        if (IPAddress.IPv6None.Equals(address))
        {
            return "unspecified (::)";
        }

        var b = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal)
        {
            return "link-local (fe80::/10)";
        }

        if (address.IsIPv6SiteLocal)
        {
            return "site-local (fec0::/10)";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "unique-local (fc00::/7)";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast (ff00::/8)";
        }

        // NAT64 (64:ff9b::/96) embeds an IPv4 address that may itself be private.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IPv4Kind(b[12..]);
        }

        return null;
    }
}
