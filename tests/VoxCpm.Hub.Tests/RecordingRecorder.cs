using System.Collections.Concurrent;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Tests;

/// <summary>A test double of history: keeps every call, per synthesis id.</summary>
internal sealed class RecordingRecorder : ISynthesisRecorder
{
    public ConcurrentDictionary<Guid, ConcurrentQueue<string>> Calls { get; } = new();

    public ConcurrentDictionary<Guid, (SynthesisSummary Summary, float[] Audio)> Completions { get; } = new();

    public void Accepted(Guid synthesisId, SynthesisRequest request, SynthesisContext context, DateTimeOffset at) => Add(synthesisId, $"accepted:{context.Origin}");

    public void Started(Guid synthesisId, TimeSpan queueWait) => Add(synthesisId, "started");

    public void Completed(Guid synthesisId, SynthesisSummary summary, ReadOnlyMemory<float> audio, int sampleRate, DateTimeOffset at)
    {
        Completions[synthesisId] = (summary, audio.ToArray());
        Add(synthesisId, "completed");
    }

    public void Failed(Guid synthesisId, string code, string message, DateTimeOffset at) => Add(synthesisId, $"failed:{code}");

    public IReadOnlyList<string> For(Guid synthesisId) => Calls.TryGetValue(synthesisId, out var calls) ? [.. calls] : [];

    private void Add(Guid synthesisId, string call) => Calls.GetOrAdd(synthesisId, _ => new()).Enqueue(call);
}
