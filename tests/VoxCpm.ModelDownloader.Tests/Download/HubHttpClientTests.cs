using VoxCpm.ModelDownloader.Download;

namespace VoxCpm.ModelDownloader.Tests.Download;

public sealed class HubHttpClientTests
{
    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("W/\"abc\"", "abc")]
    [InlineData("abc", "abc")]
    [InlineData("\"\"", null)]
    [InlineData(null, null)]
    public void Etags_lose_quotes_and_the_weak_prefix(string? raw, string? expected) =>
        Assert.Equal(expected, HubHttpClient.NormalizeEtag(raw));

    [Fact]
    public void Resolve_urls_keep_an_endpoint_path_and_escape_the_revision()
    {
        using var client = new HubHttpClient(new ModelHubOptions { CacheDirectory = "/tmp", Endpoint = new Uri("https://host/mirror") });

        Assert.Equal(
            "https://host/mirror/openbmb/VoxCPM1.5/resolve/refs%2Fpr%2F1/config.json",
            client.ResolveUri("openbmb/VoxCPM1.5", "refs/pr/1", "config.json").AbsoluteUri);
    }

    [Fact]
    public void Backoff_doubles_and_is_capped()
    {
        var delays = Enumerable.Range(1, 5).Select(a => TransientFailure.Backoff(a, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));

        Assert.Equal([1, 2, 4, 5, 5], delays.Select(d => (int)d.TotalSeconds));
    }
}
