using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;

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

/// <summary>Who asked, through which entry point, under which ids.</summary>
/// <param name="Origin">The entry point.</param>
/// <param name="RequestId">The client's request id (generated when the client gave none).</param>
/// <param name="Client">The caller (user name, remote address) for history.</param>
/// <param name="SynthesisId">A pre-assigned history id (jobs create the row when they accept the request).</param>
public sealed record SynthesisContext(EntryPoint Origin, string RequestId, string? Client = null, Guid? SynthesisId = null);

/// <summary>A started synthesis: its history id and its events (queued, started, audio chunks, completed or failed).</summary>
public sealed record SynthesisRun(Guid SynthesisId, string RequestId, int SampleRate, ChannelReader<SynthesisEvent> Events);

/// <summary>A request refused before it was queued, with the error code, field and message every transport reports.</summary>
public sealed class SynthesisRejectedException : Exception
{
    public SynthesisRejectedException()
        : this(ErrorCodes.InvalidRequest, "The request was refused.")
    {
    }

    public SynthesisRejectedException(string message)
        : this(ErrorCodes.InvalidRequest, message)
    {
    }

    public SynthesisRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InvalidRequest;
    }

    public SynthesisRejectedException(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    public string Code { get; }

    public string? Field { get; }

    public static SynthesisRejectedException From(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Code, error.Message, error.Field);
    }
}
