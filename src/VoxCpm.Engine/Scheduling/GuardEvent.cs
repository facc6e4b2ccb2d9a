namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// One intervention of the runaway guard: what it noticed (<see cref="Kind"/>: <c>silence</c>, <c>noise</c>,
/// <c>step_cap</c>) and what it did (<see cref="Action"/>: <c>retry</c> the segment or <c>end</c> it).
/// </summary>
public readonly record struct GuardEvent(string Kind, string Action)
{
    public const string Silence = "silence";
    public const string Noise = "noise";
    public const string StepCap = "step_cap";
    public const string Retry = "retry";
    public const string End = "end";
}
