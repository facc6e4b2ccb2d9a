using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VoxCpm.ModelDownloader.Download;

/// <summary>
/// The hub's HTTP surface: the API listing, HEAD on /resolve/ and ranged GETs. Redirects are followed by hand
/// because the interesting headers (X-Repo-Commit, X-Linked-Etag) sit on the 302 that points at the CDN, and
/// the bearer token must not travel to another host.
/// </summary>
internal sealed class HubHttpClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _http;
    private readonly ModelHubOptions _options;
    private readonly Uri _base;

    public HubHttpClient(ModelHubOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;

        // Uri composition drops the last segment of a base without a trailing slash (HF_ENDPOINT=https://host/mirror).
        _base = new Uri(options.Endpoint.AbsoluteUri.TrimEnd('/') + "/");
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.MetadataTimeout,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("VoxCpm.Hub", "1.0"));
    }

    public Uri ResolveUri(string repoId, string revision, string file) =>
        new(_base, $"{repoId}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(file)}");

    /// <summary>GET /api/models/REPO/revision/REV. Throws HttpRequestException on any failure.</summary>
    public async Task<RepoListing> ListAsync(string repoId, string revision, CancellationToken cancellationToken)
    {
        var uri = new Uri(_base, $"api/models/{repoId}/revision/{Uri.EscapeDataString(revision)}");
        using var timeout = CreateTimeout(cancellationToken);
        using var response = await SendAsync(HttpMethod.Get, uri, null, followAbsoluteRedirects: true, timeout.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
        var root = json.RootElement;
        var commit = root.TryGetProperty("sha", out var sha) ? sha.GetString() : null;
        if (commit is null || !root.TryGetProperty("siblings", out var siblings))
        {
            throw new HttpRequestException($"{uri} returned no 'sha'/'siblings'.");
        }

        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sibling in siblings.EnumerateArray())
        {
            if (sibling.TryGetProperty("rfilename", out var name) && name.GetString() is { } file)
            {
                files.Add(file);
            }
        }

        return new RepoListing(commit, files);
    }

    /// <summary>HEAD on the resolve URL; null when the repo has no such file (404).</summary>
    public async Task<HubFileMetadata?> HeadAsync(string repoId, string revision, string file, CancellationToken cancellationToken)
    {
        var uri = ResolveUri(repoId, revision, file);
        using var timeout = CreateTimeout(cancellationToken);

        // huggingface_hub follows only relative redirects here (renamed repos) and reads the CDN redirect itself.
        using var response = await SendAsync(HttpMethod.Head, uri, null, followAbsoluteRedirects: false, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if ((int)response.StatusCode >= 400)
        {
            throw new HttpRequestException($"HEAD {uri} returned {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        var commit = Header(response, "X-Repo-Commit");
        var etag = NormalizeEtag(Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.ToString() ?? Header(response, "ETag"));
        if (commit is null || etag is null)
        {
            throw new ModelDownloadException(
                $"HEAD {uri} returned no X-Repo-Commit or ETag header; is HF_ENDPOINT ({_options.Endpoint}) a Hugging Face hub?");
        }

        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
        var location = response.Headers.Location is { } redirect && IsRedirect(response.StatusCode) ? new Uri(uri, redirect) : uri;
        return new HubFileMetadata(file, commit, etag, size, location);
    }

    /// <summary>GET with an optional "Range: bytes=START-", following redirects; the caller owns the response.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri uri, long rangeStart, CancellationToken cancellationToken)
    {
        using var timeout = CreateTimeout(cancellationToken);
        var response = await SendAsync(
            HttpMethod.Get,
            uri,
            request =>
            {
                if (rangeStart > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(rangeStart, null);
                }
            },
            followAbsoluteRedirects: true,
            timeout.Token);
        return response;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Strips W/ and quotes: W/"abc" → abc.</summary>
    internal static string? NormalizeEtag(string? etag)
    {
        if (etag is null)
        {
            return null;
        }

        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        value = value.Trim('"');
        return value.Length > 0 ? value : null;
    }

    private static string EscapePath(string file) => string.Join('/', file.Split('/').Select(Uri.EscapeDataString));

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    private CancellationTokenSource CreateTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_options.MetadataTimeout);
        return source;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        Uri uri,
        Action<HttpRequestMessage>? configure,
        bool followAbsoluteRedirects,
        CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (_options.Token is { } token && IsHubHost(uri))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            configure?.Invoke(request);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || hop == MaxRedirects)
            {
                return response;
            }

            if (location.IsAbsoluteUri && !followAbsoluteRedirects)
            {
                return response;
            }

            response.Dispose();
            uri = new Uri(uri, location);
        }
    }

    // The token is for the hub only; CDN redirects are pre-signed.
    private bool IsHubHost(Uri uri) =>
        string.Equals(uri.Host, _options.Endpoint.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == _options.Endpoint.Port;
}
