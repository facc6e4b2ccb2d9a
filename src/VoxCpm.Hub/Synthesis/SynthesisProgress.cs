namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Progress of a running synthesis, for the progress messages of every transport. The engine stops at its stop head
/// or at a step cap derived from the text length, so the exact end is unknown: this estimates the expected steps from
/// the text length, never says 1 before the end, and the transports send 1 with <c>complete</c>.
/// </summary>
internal static class SynthesisProgress
{
    // About one decode step (80 ms of audio at 0.5B) per character: English runs under it, Chinese over; both stay below the cap of 6 per token.
    private const double StepsPerCharacter = 1.0;
    private const int MinimumSteps = 10;

    public static double Estimate(int textLength, int steps) =>
        Math.Min(0.99, steps / Math.Max(MinimumSteps, (textLength * StepsPerCharacter) + MinimumSteps));
}
