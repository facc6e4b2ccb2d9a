namespace VoxCpm.Hub.Contracts;

/// <summary>How the audio of a synthesis is delivered.</summary>
public enum SynthesisMode
{
    /// <summary>Audio chunks are sent as soon as they are generated.</summary>
    Streaming,

    /// <summary>The complete audio is returned when the synthesis finishes (a durable job).</summary>
    NonStreaming,
}
