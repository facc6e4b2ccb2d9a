namespace VoxCpm.TestKit;

/// <summary>
/// The Redis server the scale-out tests share a SignalR backplane on: <c>VOXCPM_TEST_REDIS</c> (host:port), or the one
/// scripts/setup-redis.sh wrote to .data/redis/connection.env (see <see cref="TestServerSetting"/>). Tests keep apart
/// by channel prefix.
/// </summary>
public static class TestRedisServer
{
    public const string VariableName = "VOXCPM_TEST_REDIS";

    private static readonly Lazy<string> s_address = new(() => TestServerSetting.Find(
        VariableName,
        "redis",
        $"No test Redis: set {VariableName} to host:port of a Redis server, or run scripts/setup-redis.sh " +
        "(scripts/test.sh does both)."));

    public static string Address => s_address.Value;
}
