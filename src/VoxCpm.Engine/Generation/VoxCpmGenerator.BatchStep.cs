using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

internal sealed partial class VoxCpmGenerator
{
    /// <summary>
    /// One decode step for a batch, in three phases so a fault leaves no request half-advanced: compute (mu, stop
    /// logits, CFM), step LocEnc and the LMs of requests that continue (rewriting the same KV position is idempotent),
    /// then commit (latents, audio, stop/retry decisions).
    /// </summary>
    private sealed class BatchStep
    {
        private readonly GenerationState[] _states;
        private readonly float[] _patches;   // [B, feat_dim, P] as the CFM returns them
        private readonly string?[] _stops; // why each row stops after this step, or null

        private BatchStep(GenerationState[] states, float[] patches, string?[] stops)
        {
            _states = states;
            _patches = patches;
            _stops = stops;
        }

        public static BatchStep Compute(VoxCpmGenerator g, GenerationState[] states)
        {
            int b = states.Length;
            var lmStates = new ILmState[b];
            var cfg = new float[b];
            var steps = new int[b];
            var noise = new float[b * g._patchValues];
            var cond = new float[b * g._patchValues];
            for (int i = 0; i < b; i++)
            {
                var s = states[i];
                lmStates[i] = s.Lm!;
                cfg[i] = s.Request.CfgValue;
                steps[i] = s.Request.InferenceTimesteps;
                s.PeekNoise(g._patchValues).CopyTo(noise.AsSpan(i * g._patchValues));
                s.Cond.CopyTo(cond.AsSpan(i * g._patchValues));
            }

            var patches = new float[b * g._patchValues];
            var logits = new float[b * 2];
            g._modules.GeneratePatches(lmStates, cond, noise, cfg, steps, patches, logits);
            ThrowIfNotFinite(g, states, patches, logits);
            var stops = new string?[b];
            for (int i = 0; i < b; i++)
            {
                var s = states[i];
                int index = s.SegmentSteps; // the reference's loop index i of this step
                bool stopHead = index > s.Request.MinLength && logits[(2 * i) + 1] > logits[2 * i];
                stops[i] = stopHead ? "stop_head" : index + 1 >= s.MaxSteps ? "max_len" : null;
            }

            return new BatchStep(states, patches, stops);
        }

        /// <summary>
        /// A numerical blow-up (NaN or infinity, e.g. a float16 overflow or an extreme CFG value) must not reach anyone's
        /// audio. Nothing has moved yet, so the scheduler re-steps the batch one request at a time and only the request
        /// that blows up again fails.
        /// </summary>
        private static void ThrowIfNotFinite(VoxCpmGenerator g, GenerationState[] states, float[] patches, float[] logits)
        {
            for (int i = 0; i < states.Length; i++)
            {
                var row = patches.AsSpan(i * g._patchValues, g._patchValues);
                if (!float.IsFinite(logits[2 * i]) || !float.IsFinite(logits[(2 * i) + 1]) || !AllFinite(row))
                {
                    throw new SynthesisException(
                        "synthesis_failed",
                        $"The model's output became non-finite (NaN or infinity) at decode step {states[i].Steps + 1} of this request; nothing of it was sent. With float16 compute an activation may have overflowed.");
                }
            }
        }

        private static bool AllFinite(ReadOnlySpan<float> values)
        {
            foreach (float v in values)
            {
                if (!float.IsFinite(v))
                {
                    return false;
                }
            }

            return true;
        }

        public void StepContinuingLanguageModels(VoxCpmGenerator g)
        {
            var continuing = new List<ILmState>(_states.Length);
            var patches = new float[_states.Length * g._patchValues];
            for (int i = 0; i < _states.Length; i++)
            {
                if (_stops[i] is null)
                {
                    Transpose(_patches.AsSpan(i * g._patchValues, g._patchValues), patches.AsSpan(continuing.Count * g._patchValues, g._patchValues), g._featDim, g._patch);
                    continuing.Add(_states[i].Lm!);
                }
            }

            if (continuing.Count > 0)
            {
                g._modules.StepLanguageModels(continuing, patches.AsSpan(0, continuing.Count * g._patchValues));
            }
        }

        public void Commit(VoxCpmGenerator g)
        {
            var exactAudio = g.DecodeExactStreams(_states, _patches);
            for (int i = 0; i < _states.Length; i++)
            {
                var s = _states[i];
                var channelMajor = _patches.AsSpan(i * g._patchValues, g._patchValues);
                var patch = new float[g._patchValues];
                Transpose(channelMajor, patch, g._featDim, g._patch);
                s.ConsumeNoise();
                s.Latents.Add(patch);
                channelMajor.CopyTo(s.Cond);
                s.Steps++;
                s.SegmentSteps++;
                string? stop = _stops[i];
                ReadOnlySpan<float> audio = default;
                if (s.Request.Streaming)
                {
                    audio = exactAudio.TryGetValue(s, out var chunk) ? chunk : g.DecodeOfficialWindow(s);
                    stop ??= g.StreamingGuard(s, audio);
                }

                bool lastOfRequest = stop is not null && s.SegmentIndex == s.Segments.Count - 1;
                s.PendingAudio = s.Request.Streaming
                    ? s.TakeChunk(audio, (s.ChunksEmitted == 0 ? s.Request.FirstChunkPatches : s.Request.ChunkPatches) * g._patchSamples, flush: lastOfRequest)
                    : default;
                if (stop is not null)
                {
                    g.FinishSegment(s, stop);
                }
            }
        }
    }

    /// <summary>Every exact-streaming request's new patch decoded in one batch, by state.</summary>
    private Dictionary<GenerationState, float[]> DecodeExactStreams(GenerationState[] states, float[] channelMajorPatches)
    {
        var streams = new List<IStreamingAudioDecoder>(states.Length);
        var owners = new List<GenerationState>(states.Length);
        var latents = new List<float>(states.Length * _patchValues);
        for (int i = 0; i < states.Length; i++)
        {
            if (states[i].StreamDecoder is { } decoder)
            {
                streams.Add(decoder);
                owners.Add(states[i]);
                latents.AddRange(channelMajorPatches.AsSpan(i * _patchValues, _patchValues));
            }
        }

        var result = new Dictionary<GenerationState, float[]>(owners.Count);
        if (streams.Count > 0)
        {
            var audio = _vae.DecodeStreams(streams, latents.ToArray(), _patch);
            for (int i = 0; i < owners.Count; i++)
            {
                result[owners[i]] = audio[i];
            }
        }

        return result;
    }

    /// <summary>The reference's streaming approximation: decode the last ≤ 3 patches, keep the newest patch's samples.</summary>
    private float[] DecodeOfficialWindow(GenerationState s)
    {
        int count = Math.Min(OfficialWindowPatches, s.Latents.Count);
        var window = ToVaeLatents(s.Latents, s.Latents.Count - count, count);
        var audio = _vae.Decode(window, count * _patch);
        return audio.AsSpan(audio.Length - _patchSamples).ToArray();
    }

    /// <summary>
    /// Ends the current segment: retries a bad case (non-streaming), then either moves to the next segment — with the
    /// request's voice, or the finished segment as the prompt of the next (zero-shot continuation keeps timbre and
    /// pace) — or finishes the request.
    /// </summary>
    private void FinishSegment(GenerationState s, string reason)
    {
        var request = s.Request;
        if (!request.Streaming)
        {
            // v1 counts the seeded prompt context too; VoxCPM2 counts generated patches only.
            int counted = _isVoxCpm2 ? s.Latents.Count - s.SeededPatches : s.Latents.Count;
            bool badCase = counted >= s.Text.TargetTextLength * request.RetryBadcaseRatioThreshold;
            if (request.RetryBadcase && badCase && s.SegmentAttempts < request.RetryBadcaseMaxTimes)
            {
                s.SegmentAttempts++;
                s.Attempts++;
                s.Warnings.Add($"segment {s.SegmentIndex + 1}: attempt {s.SegmentAttempts - 1} was a bad case ({counted} patches for {s.Text.TargetTextLength} tokens); retried");
                s.GuardEvents.Add(new GuardEvent(GuardEvent.StepCap, GuardEvent.Retry));
                StartAttempt(s);
                return;
            }

            if (request.NoiseGuard && !CheckSegmentForNoise(s, ref reason))
            {
                return;
            }
        }

        if (reason == "max_len")
        {
            s.GuardEvents.Add(new GuardEvent(GuardEvent.StepCap, GuardEvent.End));
            if (s.Segments.Count > 1)
            {
                s.Warnings.Add($"segment {s.SegmentIndex + 1} reached its step cap ({s.MaxSteps} steps)");
            }
        }

        if (s.SpokenLatents.Count == 0)
        {
            s.SpokenLatents.AddRange(s.Latents);
            s.SpokenSeededPatches = s.SeededPatches;
        }
        else
        {
            s.SpokenLatents.AddRange(s.Latents.Skip(s.SeededPatches));
        }

        s.StopReason = reason;
        int generated = s.Latents.Count - s.SeededPatches;
        if (s.SegmentIndex < s.Segments.Count - 1)
        {
            if (request.Prompt is null && generated > 0)
            {
                var patches = new float[generated * _patchValues];
                for (int p = 0; p < generated; p++)
                {
                    s.Latents[s.SeededPatches + p].CopyTo(patches, p * _patchValues);
                }

                s.Prompt = new VoicePrompt(s.Segments[s.SegmentIndex], new Tensors.HostTensor<float>(patches, generated, _patch, _featDim));
            }

            s.SegmentIndex++;
            StartSegment(s);
            return;
        }

        if (!request.Streaming)
        {
            var audio = s.DecodedSegment ?? _vae.Decode(ToVaeLatents(s.SpokenLatents, 0, s.SpokenLatents.Count), s.SpokenLatents.Count * _patch);
            s.PendingAudio = audio.AsMemory(s.SpokenSeededPatches * _patchSamples);
        }

        s.IsFinished = true;
    }
}
