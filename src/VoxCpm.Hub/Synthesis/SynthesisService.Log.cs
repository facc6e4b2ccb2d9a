using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis;

internal sealed partial class SynthesisService
{
    [LoggerMessage(EventId = 2000, EventName = "SynthesisAccepted", Level = LogLevel.Debug, Message = "Request {RequestId} accepted as synthesis {SynthesisId} from {Origin} (streaming {Streaming}, seed {Seed})")]
    private static partial void LogAccepted(ILogger logger, string requestId, Guid synthesisId, EntryPoint origin, bool streaming, long seed);

    [LoggerMessage(EventId = 2001, EventName = "SynthesisBusy", Level = LogLevel.Warning, Message = "Request {RequestId} from {Origin} refused: the waiting queue is full")]
    private static partial void LogBusy(ILogger logger, string requestId, EntryPoint origin);
}
