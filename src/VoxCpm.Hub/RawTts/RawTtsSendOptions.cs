namespace VoxCpm.Hub.RawTts;

/// <summary>
/// The slow-reader limits of a connection (PROTOCOL.md "Limits"). Not a setting: the documented values hold in
/// production; tests shrink them to see the 1008 close without buffering 16 MiB for 30 s.
/// </summary>
internal sealed class RawTtsSendOptions
{
    public long SendBufferBytes { get; set; } = RawTtsLimits.SendBufferBytes;

    public TimeSpan SlowReaderTimeout { get; set; } = RawTtsLimits.SlowReaderTimeout;
}
