using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Prefill of requests that start together. Their slots come from the pool lowest-first, so they are ascending; each run
/// of adjacent slots prefills as one batch over a view of those cache rows, the inputs right-padded to the longest.
/// Attention is causal and every other operator works per position, so the padding after a row's last position
/// changes none of its real positions; the row's length is then set to its own, and the padding the caches hold past it
/// is overwritten, one position per step, before any step can attend to it.
/// </summary>
internal sealed partial class OnnxVoxCpmModules
{
    public IReadOnlyList<ILmState> Prefill(IReadOnlyList<PrefillInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            Validate(input);
        }

        var states = new OnnxLmState[inputs.Count];
        int rented = 0;
        try
        {
            for (; rented < states.Length; rented++)
            {
                states[rented] = new OnnxLmState(_slots, _slots.Rent());
            }

            for (int first = 0, end; first < states.Length; first = end)
            {
                end = first + 1;
                while (end < states.Length && states[end].Slot == states[end - 1].Slot + 1)
                {
                    end++;
                }

                PrefillAdjacentRows(inputs, states, first, end - first);
            }

            return states;
        }
        catch
        {
            for (int i = 0; i < rented; i++)
            {
                states[i].Dispose();
            }

            throw;
        }
    }

    private static void Validate(PrefillInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = input.Length;
        if (length == 0 || input.Feats.Shape[0] != length || input.AudioMask.Length != length)
        {
            throw new ArgumentException($"Prefill needs at least one position and one id, one patch and one mask value per position; got {length} ids, feats {input.Feats.ShapeText} and {input.AudioMask.Length} mask values.", nameof(input));
        }
    }

    /// <summary>
    /// Prefills <c>inputs[first .. first + rows)</c>, whose states hold adjacent slots, as one batch. Every
    /// intermediate is a <see cref="PooledTensor"/> that ONNX Runtime reads and writes in place.
    /// </summary>
    private void PrefillAdjacentRows(IReadOnlyList<PrefillInput> inputs, OnnxLmState[] states, int first, int rows)
    {
        int h = Hidden;
        int longest = 0;
        for (int r = 0; r < rows; r++)
        {
            longest = Math.Max(longest, inputs[first + r].Length);
        }

        int positions = rows * longest;
        var ids = new long[positions];
        var audioMask = new byte[positions];
        bool anyAudio = false;
        for (int r = 0; r < rows; r++)
        {
            inputs[first + r].Ids.CopyTo(ids, r * longest);
            inputs[first + r].AudioMask.CopyTo(audioMask, r * longest);
            anyAudio |= inputs[first + r].HasAudio;
        }

        // embeds = text_mask·E[id] + audio_mask·feat_embed (the masks are complementary); audio is feat_embed at audio
        // positions and zeros elsewhere, as the residual LM's input takes it.
        using var embeds = new PooledTensor(clear: false, positions, h);
        using var audio = new PooledTensor(clear: true, positions, h);
        using (var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [positions]))
        {
            _modules.TextEmbeddings(idsValue, embeds.Value);
        }

        if (anyAudio)
        {
            EncodePromptAudio(inputs, first, longest, audioMask, audio);
            CopyAudioRows(audio.Span, embeds.Span, audioMask, h);
        }

        int firstSlot = states[first].Slot;
        using var baseCache = _slots.Base.Slice(firstSlot, rows);
        using var residualCache = _slots.Residual.Slice(firstSlot, rows);
        using var baseHidden = new PooledTensor(clear: false, rows, longest, h);
        using var baseFsq = new PooledTensor(clear: false, rows, longest, h);
        using (var embedsView = embeds.View(rows, longest, h))
        {
            _modules.BaseLm.Forward(baseCache, embedsView, [(CausalLmGraph.Hidden, baseHidden.Value), (CausalLmGraph.HiddenFsq, baseFsq.Value)]);
        }

        // The residual LM reads the base output FSQ'd at audio positions (model doc §4.2); the text-LM rows the decode
        // starts from are taken before that overwrites them.
        var lmRows = new float[rows * h];
        for (int r = 0; r < rows; r++)
        {
            int last = (r * longest) + inputs[first + r].Length - 1;
            var source = audioMask[last] != 0 ? baseFsq.Span : baseHidden.Span;
            source.Slice(last * h, h).CopyTo(lmRows.AsSpan(r * h));
        }

        CopyAudioRows(baseFsq.Span, baseHidden.Span, audioMask, h);
        using var residualIn = new PooledTensor(clear: false, rows, longest, h);
        using (var mixedView = baseHidden.View(positions, h))
        using (var residualInView = residualIn.View(positions, h))
        {
            _modules.ResidualPrefillInput(mixedView, audio.Value, residualInView);
        }

        using var residualHidden = new PooledTensor(clear: false, rows, longest, h);
        _modules.ResidualLm.Forward(residualCache, residualIn.Value, [(CausalLmGraph.Hidden, residualHidden.Value)]);

        var residualRows = new float[rows * h];
        for (int r = 0; r < rows; r++)
        {
            int length = inputs[first + r].Length;
            baseCache.Lengths[r] = length;
            residualCache.Lengths[r] = length;
            int last = (r * longest) + length - 1;
            residualHidden.Span.Slice(last * h, h).CopyTo(residualRows.AsSpan(r * h));
        }

        using var lmValues = OrtValue.CreateTensorValueFromMemory(lmRows, [rows, h]);
        using var residualValues = OrtValue.CreateTensorValueFromMemory(residualRows, [rows, h]);
        using var lmSlots = DeviceMemory.View(_lmHidden[_current], firstSlot, rows, h, rows, h);
        using var residualSlots = DeviceMemory.View(_residualHidden[_current], firstSlot, rows, h, rows, h);
        _device.Copy((lmValues, lmSlots), (residualValues, residualSlots));
    }

    /// <summary>LocEnc of every position's patch (zeros where a row has text or padding) into <paramref name="featEmbed"/>, then zeros back at text positions.</summary>
    private void EncodePromptAudio(IReadOnlyList<PrefillInput> inputs, int first, int longest, byte[] audioMask, PooledTensor featEmbed)
    {
        int positions = audioMask.Length;
        using var feats = new PooledTensor(clear: true, positions, Config.PatchSize, Config.FeatDim);
        for (int r = 0; r < positions / longest; r++)
        {
            inputs[first + r].Feats.Data.CopyTo(feats.Span[(r * longest * PatchValues)..]);
        }

        using (var encode = _modules.BindEncodePatches(feats.Value, featEmbed.Value))
        {
            encode.Run();
        }

        int h = Hidden;
        for (int t = 0; t < positions; t++)
        {
            if (audioMask[t] == 0)
            {
                featEmbed.Span.Slice(t * h, h).Clear();
            }
        }
    }

    /// <summary>Copies the rows of <paramref name="source"/> at audio positions over those of <paramref name="destination"/>.</summary>
    private static void CopyAudioRows(ReadOnlySpan<float> source, Span<float> destination, ReadOnlySpan<byte> audioMask, int h)
    {
        for (int t = 0; t < audioMask.Length; t++)
        {
            if (audioMask[t] != 0)
            {
                source.Slice(t * h, h).CopyTo(destination[(t * h)..]);
            }
        }
    }
}
