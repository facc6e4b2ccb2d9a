namespace VoxCpm.Engine.Scheduling;

/// <summary>Names of the engine's <see cref="System.Diagnostics.Metrics.Meter"/>s, for exporters.</summary>
public static class EngineMeters
{
    /// <summary>Queue, batch, steps, time to first audio, RTF and outcomes of the scheduler.</summary>
    public const string Scheduler = "VoxCpm.Engine.Scheduler";
}
