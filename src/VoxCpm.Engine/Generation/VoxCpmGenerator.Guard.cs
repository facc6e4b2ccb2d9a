using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// The runaway guard's audio checks. The step cap (text length · ratio + 10) bounds every segment anyway; these end
/// or regenerate a segment long before it, when its audio turns silent after speech or into sustained noise.
/// </summary>
internal sealed partial class VoxCpmGenerator
{
    private int NoiseLimitPatches => (int)Math.Ceiling(NoiseSeconds * SampleRate / _patchSamples);

    /// <summary>
    /// Streaming: checks the newest patch's audio, one pass and no allocation. Audio already sent cannot be taken
    /// back, so a detection ends the segment (with a warning) rather than regenerating it.
    /// </summary>
    private string? StreamingGuard(GenerationState s, ReadOnlySpan<float> audio)
    {
        var request = s.Request;
        if ((!request.SilenceGuard && !request.NoiseGuard) || audio.IsEmpty)
        {
            return null;
        }

        var block = AudioBlockFeatures.Measure(audio);
        if (request.SilenceGuard)
        {
            bool quiet = block.Rms < SilenceRms;
            s.HeardSpeech |= !quiet;
            s.QuietPatches = quiet ? s.QuietPatches + 1 : 0;
            int limit = (int)Math.Ceiling(SilenceSeconds * SampleRate / _patchSamples);
            if (s.HeardSpeech && s.QuietPatches >= limit && s.SegmentSteps > request.MinLength)
            {
                s.Warnings.Add($"segment {s.SegmentIndex + 1} ended early: {SilenceSeconds:0.#} s of silence after speech");
                s.GuardEvents.Add(new GuardEvent(GuardEvent.Silence, GuardEvent.End));
                return "silence";
            }
        }

        if (request.NoiseGuard)
        {
            s.NoisyPatches = block.IsNoise ? s.NoisyPatches + 1 : 0;
            if (s.NoisyPatches >= NoiseLimitPatches)
            {
                s.Warnings.Add($"segment {s.SegmentIndex + 1} ended early: {NoiseSeconds:0.#} s of noise");
                s.GuardEvents.Add(new GuardEvent(GuardEvent.Noise, GuardEvent.End));
                return "noise";
            }
        }

        return null;
    }

    /// <summary>
    /// Non-streaming, at the end of a segment: decodes it once and looks for sustained noise. A noisy segment is
    /// regenerated while bad-case retries remain (returns false: an attempt started); otherwise it is cut where
    /// the noise began and ends with a warning. A clean single-segment request keeps the decode as its output.
    /// </summary>
    private bool CheckSegmentForNoise(GenerationState s, ref string reason)
    {
        var audio = _vae.Decode(ToVaeLatents(s.Latents, 0, s.Latents.Count), s.Latents.Count * _patch);
        int generated = s.Latents.Count - s.SeededPatches;
        int limit = NoiseLimitPatches;
        int run = 0;
        int noiseStart = -1;
        for (int p = 0; p < generated && noiseStart < 0; p++)
        {
            var block = audio.AsSpan((s.SeededPatches + p) * _patchSamples, _patchSamples);
            run = AudioBlockFeatures.Measure(block).IsNoise ? run + 1 : 0;
            noiseStart = run >= limit ? p + 1 - run : -1;
        }

        if (noiseStart < 0)
        {
            s.DecodedSegment = s.Segments.Count == 1 ? audio : null;
            return true;
        }

        var request = s.Request;
        if (request.RetryBadcase && s.SegmentAttempts < request.RetryBadcaseMaxTimes)
        {
            s.SegmentAttempts++;
            s.Attempts++;
            s.Warnings.Add($"segment {s.SegmentIndex + 1}: attempt {s.SegmentAttempts - 1} turned into noise; retried");
            s.GuardEvents.Add(new GuardEvent(GuardEvent.Noise, GuardEvent.Retry));
            StartAttempt(s);
            return false;
        }

        s.Latents.RemoveRange(s.SeededPatches + noiseStart, generated - noiseStart);
        s.Warnings.Add($"segment {s.SegmentIndex + 1} cut at {(double)noiseStart * _patchSamples / SampleRate:0.##} s: it turned into noise");
        s.GuardEvents.Add(new GuardEvent(GuardEvent.Noise, GuardEvent.End));
        reason = "noise";
        return true;
    }
}
