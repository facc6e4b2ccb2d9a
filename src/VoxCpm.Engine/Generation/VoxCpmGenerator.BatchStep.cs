using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

internal sealed partial class VoxCpmGenerator
{
    /// <summary>
    /// One decode step for a batch, in three phases so a fault leaves no request half-advanced: compute (mu, stop
    /// logits, CFM), step LocEnc and the LMs of requests that continue (rewriting the same KV position is idempotent),
    /// then commit (latents, audio, stop/retry decisions). One instance per generator: its buffers grow to the largest
    /// batch seen and are reused, so a steady-state step allocates nothing here but each row's new latent patch.
    /// </summary>
    private sealed class BatchStep(VoxCpmGenerator g)
    {
        private readonly List<ILmState> _lmStates = [];
        private GenerationState[] _states = [];
        private int _count;
        private float[] _cfg = [];
        private int[] _timesteps = [];
        private float[] _noise = [];
        private float[] _cond = [];
        private float[] _patches = [];     // [B, feat_dim, P] as the CFM returns them
        private float[] _logits = [];
        private float[] _lmPatches = [];   // [continuing, P, feat_dim] for LocEnc
        private string?[] _stops = [];      // why each row stops after this step, or null
        private float[] _streamLatents = []; // exact streams' patches, [streams, feat_dim, P]
        private float[] _streamAudio = [];   // their decoded samples, [streams, patch samples]
        private int[] _streamIndex = [];     // each row's position among the exact streams, or -1
        private readonly List<IStreamingAudioDecoder> _streams = [];

        public void Compute(IReadOnlyList<IGenerationState> batch)
        {
            int b = batch.Count;
            int values = g._patchValues;
            Reserve(b);
            _lmStates.Clear();
            for (int i = 0; i < b; i++)
            {
                var s = (GenerationState)batch[i];
                _states[i] = s;
                _lmStates.Add(s.Lm!);
                _cfg[i] = s.Request.CfgValue;
                _timesteps[i] = s.Request.InferenceTimesteps;
                s.PeekNoise(values).CopyTo(_noise.AsSpan(i * values));
                s.Cond.CopyTo(_cond.AsSpan(i * values));
            }

            _count = b;
            var patches = _patches.AsSpan(0, b * values);
            var logits = _logits.AsSpan(0, b * 2);
            g._modules.GeneratePatches(_lmStates, _cond.AsSpan(0, b * values), _noise.AsSpan(0, b * values), _cfg.AsSpan(0, b), _timesteps.AsSpan(0, b), patches, logits);
            ThrowIfNotFinite(patches, logits);
            for (int i = 0; i < b; i++)
            {
                var s = _states[i];
                int index = s.SegmentSteps; // the reference's loop index i of this step
                bool stopHead = index > s.Request.MinLength && logits[(2 * i) + 1] > logits[2 * i];
                _stops[i] = stopHead ? "stop_head" : index + 1 >= s.MaxSteps ? "max_len" : null;
            }
        }

        public void StepContinuingLanguageModels()
        {
            int values = g._patchValues;
            _lmStates.Clear();
            for (int i = 0; i < _count; i++)
            {
                if (_stops[i] is null)
                {
                    Transpose(_patches.AsSpan(i * values, values), _lmPatches.AsSpan(_lmStates.Count * values, values), g._featDim, g._patch);
                    _lmStates.Add(_states[i].Lm!);
                }
            }

            if (_lmStates.Count > 0)
            {
                g._modules.StepLanguageModels(_lmStates, _lmPatches.AsSpan(0, _lmStates.Count * values));
            }
        }

        public void Commit()
        {
            int values = g._patchValues;
            for (int i = 0; i < _count; i++)
            {
                var s = _states[i];
                var channelMajor = _patches.AsSpan(i * values, values);
                Transpose(channelMajor, s.Latents.Append(), g._featDim, g._patch); // the request's own history
                s.ConsumeNoise();
                channelMajor.CopyTo(s.Cond);
                s.Steps++;
                s.SegmentSteps++;
                string? stop = _stops[i];
                ReadOnlySpan<float> audio = default;
                if (s.Request.Streaming)
                {
                    audio = _streamIndex[i] >= 0
                        ? _streamAudio.AsSpan(_streamIndex[i] * g._patchSamples, g._patchSamples)
                        : g.DecodeOfficialWindow(s);
                    stop ??= g.StreamingGuard(s, audio);
                }

                bool lastOfRequest = stop is not null && s.SegmentIndex == s.Segments.Count - 1;
                var chunk = s.Request.Streaming
                    ? s.TakeChunk(audio, s.Request.FirstChunkPatches * g._patchSamples, s.Request.ChunkPatches * g._patchSamples, flush: lastOfRequest)
                    : default;
                s.PendingAudio = default;
                if (stop is not null)
                {
                    // Sets a finished non-streaming request's audio, or starts the next segment, which resets the attempt.
                    g.FinishSegment(s, stop);
                }

                if (s.Request.Streaming)
                {
                    s.PendingAudio = chunk; // after the segment change: a chunk completed by a segment's last step is still sent
                }
            }

            // No request is kept alive by the generator between steps.
            Array.Clear(_states, 0, _count);
            _lmStates.Clear();
            _streams.Clear();
        }

        /// <summary>
        /// Gathers every exact-streaming request's new patch for one batched decode (<c>_streamIndex</c> maps rows to
        /// results); whether there is any.
        /// </summary>
        public bool PrepareExactStreams()
        {
            int values = g._patchValues;
            _streams.Clear();
            for (int i = 0; i < _count; i++)
            {
                if (_states[i].StreamDecoder is { } decoder)
                {
                    _streamIndex[i] = _streams.Count;
                    _patches.AsSpan(i * values, values).CopyTo(_streamLatents.AsSpan(_streams.Count * values));
                    _streams.Add(decoder);
                }
                else
                {
                    _streamIndex[i] = -1;
                }
            }

            return _streams.Count > 0;
        }

        /// <summary>The prepared patches through the streaming VAE; touches nothing the language models' step reads or writes.</summary>
        public void DecodeExactStreams() =>
            g._vae.DecodeStreams(_streams, _streamLatents.AsSpan(0, _streams.Count * g._patchValues), g._patch, _streamAudio.AsSpan(0, _streams.Count * g._patchSamples));

        private void Reserve(int b)
        {
            if (_states.Length >= b)
            {
                return;
            }

            int values = g._patchValues;
            _states = new GenerationState[b];
            _cfg = new float[b];
            _timesteps = new int[b];
            _noise = new float[b * values];
            _cond = new float[b * values];
            _patches = new float[b * values];
            _logits = new float[b * 2];
            _lmPatches = new float[b * values];
            _stops = new string?[b];
            _streamLatents = new float[b * values];
            _streamAudio = new float[b * g._patchSamples];
            _streamIndex = new int[b];
        }

        /// <summary>
        /// A numerical blow-up (NaN or infinity, e.g. a float16 overflow or an extreme CFG value) must not reach anyone's
        /// audio. Nothing has moved yet, so the scheduler re-steps the batch one request at a time and only the request
        /// that blows up again fails.
        /// </summary>
        private void ThrowIfNotFinite(ReadOnlySpan<float> patches, ReadOnlySpan<float> logits)
        {
            for (int i = 0; i < _count; i++)
            {
                var row = patches.Slice(i * g._patchValues, g._patchValues);
                if (!float.IsFinite(logits[2 * i]) || !float.IsFinite(logits[(2 * i) + 1]) || !AllFinite(row))
                {
                    throw new SynthesisException(
                        "synthesis_failed",
                        $"The model's output became non-finite (NaN or infinity) at decode step {_states[i].Steps + 1} of this request; nothing of it was sent. With float16 compute an activation may have overflowed.");
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
            s.SpokenLatents.AddRange(s.Latents, 0);
            s.SpokenSeededPatches = s.SeededPatches;
        }
        else
        {
            s.SpokenLatents.AddRange(s.Latents, s.SeededPatches);
        }

        s.StopReason = reason;
        int generated = s.Latents.Count - s.SeededPatches;
        if (s.SegmentIndex < s.Segments.Count - 1)
        {
            if (request.Prompt is null && generated > 0)
            {
                var patches = s.Latents.Slice(s.SeededPatches, generated).ToArray();

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
