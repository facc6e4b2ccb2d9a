namespace VoxCpm.Hub.Data.Entities;

/// <summary>Stored as <c>streaming</c> / <c>non_streaming</c>, the raw protocol's spelling.</summary>
public enum SynthesisMode
{
    Streaming,
    NonStreaming,
}
