using VoxCpm.Engine;

namespace VoxCpm.Hub.Inference;

/// <summary>The loaded engine, once the model lifecycle has loaded it (null before and after a failed load).</summary>
public interface IEngineAccessor
{
    VoxCpmEngine? Engine { get; }
}
