namespace VoxCpm.LoadGenerator;

/// <summary>A connection that speaks one request at a time (raw <c>/tts</c> or SignalR).</summary>
internal interface ISpeaker : IAsyncDisposable
{
    Task<RequestResult> SpeakAsync(string text, long seed, CancellationToken cancellationToken);
}
