using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.History;

/// <summary>
/// Records every synthesis from every entry point in history. Calls never block and never throw: rows are
/// written off the audio path by a background writer that retries until PostgreSQL answers, so a slow or
/// stopped database never stalls a stream and nothing accepted is lost.
/// </summary>
public interface ISynthesisRecorder
{
    void Accepted(Guid synthesisId, SynthesisRequest request, SynthesisContext context, DateTimeOffset at);

    void Started(Guid synthesisId, TimeSpan queueWait);

    /// <summary>The synthesis finished; <paramref name="audio"/> is the whole mono float audio at <paramref name="sampleRate"/>.</summary>
    void Completed(Guid synthesisId, SynthesisSummary summary, ReadOnlyMemory<float> audio, int sampleRate, DateTimeOffset at);

    void Failed(Guid synthesisId, string code, string message, DateTimeOffset at);

    /// <summary>
    /// A text stream ended (before its Completed or Failed): <paramref name="text"/> as received and the
    /// <paramref name="pieces"/> it was spoken in. Recorders that keep no text may ignore it.
    /// </summary>
    void TextStreamed(Guid synthesisId, string text, IReadOnlyList<string> pieces)
    {
    }
}
