using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using VoxCpm.Hub.Tests.Synthesis;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Scaling;

/// <summary>
/// Reference audio at <c>/gated.wav</c> on 127.0.0.1 that is held until <see cref="Release"/>: a job that fetches it
/// is running, on a known node, for as long as the test wants. Requests after the release are served at once.
/// </summary>
internal sealed class GatedAudioServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private GatedAudioServer(LoopbackHost host) => _host = host;

    /// <summary>True once a request is being held.</summary>
    public bool IsHolding => _held.Task.IsCompleted;

    public int Requests => Volatile.Read(ref _requests);

    public Uri Url => new(_host.App.Urls.Single() + "/gated.wav");

    public static async Task<GatedAudioServer> StartAsync()
    {
        GatedAudioServer? server = null;
        var host = await LoopbackHost.StartAsync(
            new Dictionary<string, string?>(),
            builder => builder.WebHost.UseUrls("http://127.0.0.1:0"),
            app => app.MapGet("/gated.wav", (Delegate)((HttpContext http) => server!.ServeAsync(http.RequestAborted))));
        server = new GatedAudioServer(host);
        return server;
    }

    /// <summary>Returns when a request is being held (bounded by the default timeout).</summary>
    public Task WaitUntilHeldAsync() =>
        Eventually.MatchesAsync(() => Task.FromResult(IsHolding), holding => holding, interval: TimeSpan.FromMilliseconds(20));

    public void Release() => _gate.TrySetResult();

    public ValueTask DisposeAsync()
    {
        Release();
        return _host.DisposeAsync();
    }

    private async Task<IResult> ServeAsync(CancellationToken aborted)
    {
        Interlocked.Increment(ref _requests);
        if (!_gate.Task.IsCompleted)
        {
            _held.TrySetResult();
#pragma warning disable VSTHRD003 // the gate is this server's own, completed by Release
            await _gate.Task.WaitAsync(aborted);
#pragma warning restore VSTHRD003
        }

        return Results.Bytes(PromptAudioServer.Wav, "audio/wav");
    }
}
