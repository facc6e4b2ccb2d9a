using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VoxCpm.Hub.Security;

/// <summary>
/// The configured API keys, kept as SHA-256 digests and compared in constant time, so neither the comparison's
/// timing nor a memory dump of the lookup reveals a key. Each key gets a stable name (<c>key1</c>, <c>key2</c>, …)
/// used as its rate-limit partition and in logs instead of the key itself.
/// </summary>
internal sealed class ApiKeys
{
    private readonly List<(byte[] Digest, string Name)> _keys;

    public ApiKeys(IOptions<SecurityOptions> options) =>
        _keys = options.Value.ApiKeys.Select((key, i) => (Digest(key), $"key{i + 1}")).ToList();

    public bool Required => _keys.Count > 0;

    /// <summary>The key's name, or null when it is not one of the configured keys.</summary>
    public string? Identify(string candidate)
    {
        var digest = Digest(candidate);
        string? found = null;
        foreach (var (key, name) in _keys)
        {
            // No early exit: the time taken does not depend on which key matched.
            if (CryptographicOperations.FixedTimeEquals(key, digest))
            {
                found = name;
            }
        }

        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
