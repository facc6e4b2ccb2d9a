using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Synthesis.PromptAudio;

/// <summary>
/// Downloads reference audio for <c>prompt_wav_url</c> without becoming an SSRF proxy: http/https only; the host is
/// resolved once inside the connect callback, every address is checked, and the socket connects to the checked
/// address (no second lookup a DNS-rebinding attacker could answer differently); redirects are followed by hand,
/// each one re-checked, at most <see cref="PromptAudioOptions.MaxRedirects"/>; the body is capped and the whole
/// fetch has a timeout. Every refusal is a <see cref="SynthesisRejectedException"/> with code prompt_audio_invalid.
/// </summary>
internal sealed partial class PromptAudioFetcher : IDisposable
{
    private const string Field = "prompt_wav_url";

    private readonly PromptAudioOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger<PromptAudioFetcher> _logger;

    public PromptAudioFetcher(IOptions<PromptAudioOptions> options, ILogger<PromptAudioFetcher> logger)
    {
        _options = options.Value;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false, // a proxy would resolve the host itself, out of our reach
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectToCheckedAddressAsync,
        };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public async Task<byte[]> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await FetchFollowingRedirectsAsync(url, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refused($"prompt_wav_url took longer than {_options.Timeout.TotalSeconds:0} s to download");
        }
        catch (HttpRequestException e)
        {
            // The connect callback's own refusal arrives wrapped.
            if (e.InnerException is SynthesisRejectedException rejected)
            {
                throw rejected;
            }

            LogFetchFailed(_logger, url.Host, e.Message);
            throw Refused($"prompt_wav_url could not be fetched: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<byte[]> FetchFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            CheckScheme(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (redirects >= _options.MaxRedirects)
                {
                    throw Refused($"prompt_wav_url redirected more than {_options.MaxRedirects} times");
                }

                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Refused($"prompt_wav_url answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return await ReadCappedAsync(response.Content, cancellationToken);
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _options.MaxBytes;
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(declared);
        }

        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(buffer.Length + read);
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return buffer.ToArray();
    }

    private async ValueTask<Stream> ConnectToCheckedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw Refused($"prompt_wav_url host {endPoint.Host} does not resolve");
        }

        if (!_options.AllowPrivateAddresses)
        {
            foreach (var address in addresses)
            {
                if (AddressPolicy.NonPublicKind(address) is { } kind)
                {
                    LogNonPublicRefused(_logger, endPoint.Host, address.ToString());
                    throw Refused($"prompt_wav_url host {endPoint.Host} resolves to {address}, a {kind} address; only public addresses are fetched ({PromptAudioOptions.AllowPrivateSetting}=true allows others)");
                }
            }
        }

        var pinned = addresses[0];
        var socket = new Socket(pinned.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(pinned, endPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void CheckScheme(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw Refused($"prompt_wav_url must use http or https (got {url.Scheme})");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private SynthesisRejectedException TooLarge(long bytes) =>
        Refused($"prompt_wav_url is larger than the limit of {_options.MaxBytes} bytes (got at least {bytes})");

    private static SynthesisRejectedException Refused(string message) => new(ErrorCodes.PromptAudioInvalid, message, Field);

    [LoggerMessage(EventId = 2010, EventName = "PromptUrlNonPublic", Level = LogLevel.Warning, Message = "Refused to fetch reference audio from {Host}: it resolves to the non-public address {Address}")]
    private static partial void LogNonPublicRefused(ILogger logger, string host, string address);

    [LoggerMessage(EventId = 2011, EventName = "PromptFetchFailed", Level = LogLevel.Information, Message = "Reference audio from {Host} could not be fetched: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string host, string reason);
}
