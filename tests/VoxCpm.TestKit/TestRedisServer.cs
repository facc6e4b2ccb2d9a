namespace VoxCpm.TestKit;

/// <summary>
/// The Redis server the scale-out tests share a SignalR backplane on: <c>VOXCPM_TEST_REDIS</c> (host:port;
/// scripts/test.sh exports it), or else the one scripts/setup-redis.sh wrote to .data/redis/connection.env. Tests
/// keep apart by channel prefix. No server is a failure with the fix in the message, never a skipped test.
/// </summary>
public static class TestRedisServer
{
    public const string VariableName = "VOXCPM_TEST_REDIS";

    private static readonly Lazy<string> s_address = new(Find);

    public static string Address => s_address.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var file = Path.Combine(directory.FullName, ".data", "redis", "connection.env");
            if (File.Exists(file) && ReadVariable(file) is { } fromFile)
            {
                return fromFile;
            }
        }

        throw new InvalidOperationException(
            $"No test Redis: set {VariableName} to host:port of a Redis server, or run scripts/setup-redis.sh " +
            "(scripts/test.sh does both).");
    }

    private static string? ReadVariable(string file) =>
        File.ReadLines(file)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(VariableName + "=", StringComparison.Ordinal))
            .Select(line => line[(VariableName.Length + 1)..].Trim('\'', '"'))
            .FirstOrDefault();
}
