using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis.PromptAudio;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>The SSRF-safe fetcher against a real HTTP server on loopback.</summary>
public sealed class PromptAudioFetcherTests : IAsyncLifetime
{
    private PromptAudioServer? _server;

    private PromptAudioServer Server => _server!;

    public async Task InitializeAsync() => _server = await PromptAudioServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Loopback_is_refused_by_default_naming_the_address_and_the_setting()
    {
        using var fetcher = Fetcher(allowPrivate: false);

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => fetcher.FetchAsync(Server.Url("/voice.wav"), CancellationToken.None).DefaultTimeout());

        Assert.Equal(ErrorCodes.PromptAudioInvalid, refused.Code);
        Assert.Equal("prompt_wav_url", refused.Field);
        Assert.Contains("127.0.0.1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
        Assert.Contains(PromptAudioOptions.AllowPrivateSetting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_resolving_to_loopback_is_refused_too()
    {
        using var fetcher = Fetcher(allowPrivate: false);
        var url = new Uri(Server.BaseAddress.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/voice.wav");

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => fetcher.FetchAsync(url, CancellationToken.None).DefaultTimeout());

        Assert.Contains("localhost resolves to", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_addresses_allowed_the_audio_is_fetched_through_up_to_three_redirects()
    {
        using var fetcher = Fetcher(allowPrivate: true);

        Assert.Equal(PromptAudioServer.Wav, await fetcher.FetchAsync(Server.Url("/voice.wav"), CancellationToken.None).DefaultTimeout());
        Assert.Equal(PromptAudioServer.Wav, await fetcher.FetchAsync(Server.Url("/redirect/3"), CancellationToken.None).DefaultTimeout());
    }

    [Theory]
    [InlineData("/redirect/4", "redirected more than 3 times")]
    [InlineData("/to-ftp", "must use http or https (got ftp)")]
    [InlineData("/big", "larger than the limit of 1024 bytes")]
    [InlineData("/missing", "HTTP 404")]
    public async Task Unusable_urls_are_refused_with_the_reason(string path, string reason)
    {
        using var fetcher = Fetcher(allowPrivate: true, maxBytes: 1024);

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => fetcher.FetchAsync(Server.Url(path), CancellationToken.None).DefaultTimeout());

        Assert.Equal(ErrorCodes.PromptAudioInvalid, refused.Code);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "unique-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::a00:1", "private")]
    public void Non_public_addresses_are_named(string address, string kind) =>
        Assert.StartsWith(kind, AddressPolicy.NonPublicKind(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_pass(string address) => Assert.Null(AddressPolicy.NonPublicKind(IPAddress.Parse(address)));

    private static PromptAudioFetcher Fetcher(bool allowPrivate, long maxBytes = PromptAudioOptions.DefaultMaxBytes) =>
        new(Options.Create(new PromptAudioOptions { AllowPrivateAddresses = allowPrivate, MaxBytes = maxBytes }), NullLogger<PromptAudioFetcher>.Instance);
}
