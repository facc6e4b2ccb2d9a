namespace VoxCpm.Hub.Shutdown;

internal sealed partial class ShutdownDrain
{
    [LoggerMessage(EventId = 5000, EventName = "DrainStarted", Level = LogLevel.Information, Message = "Shutting down: refusing new requests, /ready is 503; waiting up to {Seconds} s for {InFlight} request(s) in flight")]
    private static partial void LogDrainStarted(ILogger logger, int inFlight, int seconds);

    [LoggerMessage(EventId = 5001, EventName = "DrainDeadlineReached", Level = LogLevel.Warning, Message = "Shutdown deadline of {Seconds} s reached: cancelling {InFlight} request(s) still in flight")]
    private static partial void LogDeadlineReached(ILogger logger, int inFlight, int seconds);

    [LoggerMessage(EventId = 5002, EventName = "Drained", Level = LogLevel.Information, Message = "Drained: {InFlight} request(s) and {RawConnections} raw /tts connection(s) left; stopping the host")]
    private static partial void LogDrained(ILogger logger, int inFlight, int rawConnections);
}
