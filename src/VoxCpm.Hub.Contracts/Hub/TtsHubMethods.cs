namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>The SignalR hub's route and method names, shared by the server, the .NET client and the web UI.</summary>
public static class TtsHubMethods
{
    public const string Route = "/hubs/tts";

    /// <summary>Server-to-client stream: <c>IAsyncEnumerable&lt;SynthesisStreamItem&gt; Synthesize(SynthesisRequest)</c>.</summary>
    public const string Synthesize = "Synthesize";

    /// <summary>
    /// Bidirectional stream: <c>IAsyncEnumerable&lt;SynthesisStreamItem&gt; SynthesizeTextStream(SynthesisRequest, IAsyncEnumerable&lt;string&gt; text)</c>.
    /// The request's <c>text</c> (required, may be empty) is the first text; the rest arrives as the client-to-server stream (a JavaScript <c>Subject</c>),
    /// is spoken phrase by phrase in one voice, and ends (what is left is spoken) when the client completes it.
    /// A piece equal to <see cref="TextStreamFlush"/> speaks the pending text at once.
    /// </summary>
    public const string SynthesizeTextStream = "SynthesizeTextStream";

    /// <summary>The text-stream piece that means "speak what you have now" (a lone NUL, never valid text).</summary>
    public const string TextStreamFlush = "\0";

    /// <summary>Invocation: <c>ServerStatus GetStatus()</c>.</summary>
    public const string GetStatus = "GetStatus";

    /// <summary>Invocation: subscribe this connection to a job's updates (<c>WatchJob(string jobId)</c>).</summary>
    public const string WatchJob = "WatchJob";

    /// <summary>Client callback: <c>JobUpdated(JobUpdate)</c>.</summary>
    public const string JobUpdated = "JobUpdated";

    /// <summary>Client callback: <c>StatusChanged(ServerStatus)</c>, broadcast when the server's load changes.</summary>
    public const string StatusChanged = "StatusChanged";
}
