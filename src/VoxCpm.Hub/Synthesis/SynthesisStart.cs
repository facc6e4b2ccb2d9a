namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// How <see cref="SynthesisService.SubmitAsync"/> delivers a request: either <see cref="Run"/>, its events straight
/// from the scheduler, or <see cref="Job"/>, a durable job whose result lands in history.
/// </summary>
internal sealed record SynthesisStart(SynthesisRun? Run, JobTicket? Job)
{
    public Guid SynthesisId => Run?.SynthesisId ?? Job!.SynthesisId;
}
