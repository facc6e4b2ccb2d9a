using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// The one path every entry point takes (raw <c>/tts</c>, SignalR, HTTP, Hangfire jobs): validate with
/// <see cref="SynthesisRequestValidator"/>, resolve the voice, submit to the engine's scheduler, record history.
/// </summary>
public interface ISynthesisService
{
    /// <summary>
    /// Validates and queues a request and returns at once. Refusals (invalid parameter, busy, model not ready,
    /// unusable prompt audio) throw <see cref="SynthesisRejectedException"/>; later failures arrive as a
    /// <see cref="FailedEvent"/>. Cancelling <paramref name="cancellationToken"/> cancels the synthesis.
    /// </summary>
    Task<SynthesisRun> StartAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken);
}

/// <summary>A started synthesis: its history id and its events (queued, started, audio chunks, completed or failed).</summary>
public sealed record SynthesisRun(Guid SynthesisId, string RequestId, int SampleRate, ChannelReader<SynthesisEvent> Events);
