using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VoxCpm.ModelDownloader.Tests.FakeHub;

/// <summary>
/// A Hugging Face hub on 127.0.0.1 with an ephemeral port, speaking the URL scheme huggingface_hub uses:
/// /api/models/ORG/NAME/revision/REV, HEAD/GET /ORG/NAME/resolve/REV/FILE (302 to /lfs/SHA256 for LFS files
/// with X-Linked-Etag and X-Linked-Size, 200 with a git-sha1 ETag otherwise), and ranged GETs on /lfs/.
/// </summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FixtureRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _faultGate = new();

    private FakeHubServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public FakeHubFaults Faults { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeHubServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeHubServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.Endpoint = new Uri(app.Urls.Single());
        return server;
    }

    public FixtureRepo AddRepo(string repoId, string fixtureDirectory)
    {
        var repo = new FixtureRepo(repoId, fixtureDirectory, FixtureRepo.NewCommit());
        _repos[repoId] = repo;
        return repo;
    }

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(request.Method, path, request.Headers.Range.ToString() is { Length: > 0 } r ? r : null,
            request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));

        if (Faults.RequiredToken is { } token && request.Headers.Authorization != $"Bearer {token}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (segments is ["api", "models", var org, var name, "revision", var revision])
        {
            await ListAsync(context, $"{org}/{name}", Uri.UnescapeDataString(revision));
        }
        else if (segments.Length >= 5 && segments[2] == "resolve")
        {
            await ResolveAsync(context, $"{segments[0]}/{segments[1]}", Uri.UnescapeDataString(segments[3]), string.Join('/', segments[4..]));
        }
        else if (segments is ["lfs", var repoFolder, var file])
        {
            var repo = _repos.Values.Single(r => r.RepoId.Replace('/', '~') == repoFolder);
            await SendBodyAsync(context, repo.Files[file]);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task ListAsync(HttpContext context, string repoId, string revision)
    {
        if (Faults.ApiUnavailable)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!TryRevision(repoId, revision, out var repo))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var siblings = repo.Files.Keys.Append("README.md").Select(f => new { rfilename = f });
        await context.Response.WriteAsJsonAsync(new { id = repoId, sha = repo.Commit, siblings });
    }

    private async Task ResolveAsync(HttpContext context, string repoId, string revision, string fileName)
    {
        if (TakeResolveServerError())
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!TryRevision(repoId, revision, out var repo) || !repo.Files.TryGetValue(fileName, out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }

        var response = context.Response;
        response.Headers["X-Repo-Commit"] = repo.Commit;
        if (file.IsLfs)
        {
            // Like the real hub: the pointer's own ETag differs; X-Linked-* describe the LFS object.
            response.StatusCode = StatusCodes.Status302Found;
            response.Headers.ETag = "W/\"pointer-etag\"";
            response.Headers["X-Linked-Etag"] = $"\"{file.Etag}\"";
            response.Headers["X-Linked-Size"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers.Location = new Uri(Endpoint, $"lfs/{repo.RepoId.Replace('/', '~')}/{file.Name}").ToString();
            return;
        }

        response.Headers.ETag = $"\"{file.Etag}\"";
        await SendBodyAsync(context, file);
    }

    private async Task SendBodyAsync(HttpContext context, FixtureFile file)
    {
        var response = context.Response;
        var content = file.Content;
        if (Faults.CorruptFile == file.Name)
        {
            content = (byte[])content.Clone();
            content[content.Length / 2] ^= 0xFF;
        }

        long start = 0;
        if (!Faults.IgnoreRange && context.Request.Headers.Range.ToString() is { Length: > 0 } range
            && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], out var from) && from < content.Length)
        {
            start = from;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        response.ContentLength = content.Length - start;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var (abortAt, stallAt) = TakeTransferFault(file.Name);
        var end = content.Length;
        if (abortAt is { } a)
        {
            end = (int)Math.Min(end, start + a);
        }
        else if (stallAt is { } s)
        {
            end = (int)Math.Min(end, start + s);
        }

        await response.Body.WriteAsync(content.AsMemory((int)start, end - (int)start), context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        if (abortAt is not null)
        {
            // Let the bytes reach the client first: an abort resets the socket and could drop data still in flight.
            await Task.Delay(100, context.RequestAborted);
            context.Abort();
        }
        else if (stallAt is not null)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private bool TryRevision(string repoId, string revision, out FixtureRepo repo)
    {
        if (_repos.TryGetValue(repoId, out var found) && (revision == "main" || revision == found.Commit))
        {
            repo = found;
            return true;
        }

        repo = null!;
        return false;
    }

    private bool TakeResolveServerError()
    {
        lock (_faultGate)
        {
            if (Faults.ResolveServerErrors <= 0)
            {
                return false;
            }

            Faults.ResolveServerErrors--;
            return true;
        }
    }

    private (int? AbortAt, int? StallAt) TakeTransferFault(string file)
    {
        lock (_faultGate)
        {
            if (Faults.AbortFile == file && Faults.AbortCount > 0)
            {
                Faults.AbortCount--;
                return (Faults.AbortAfterBytes, null);
            }

            if (Faults.StallFile == file && Faults.StallCount > 0)
            {
                Faults.StallCount--;
                return (null, 64 * 1024);
            }

            return (null, null);
        }
    }
}
