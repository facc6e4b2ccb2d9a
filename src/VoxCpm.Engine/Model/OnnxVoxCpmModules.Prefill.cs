using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

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

    /// <summary>Prefills <c>inputs[first .. first + rows)</c>, whose states hold adjacent slots, as one batch.</summary>
    private void PrefillAdjacentRows(IReadOnlyList<PrefillInput> inputs, OnnxLmState[] states, int first, int rows)
    {
        int h = Hidden;
        int longest = 0;
        bool anyAudio = false;
        for (int r = 0; r < rows; r++)
        {
            longest = Math.Max(longest, inputs[first + r].Length);
            anyAudio |= inputs[first + r].HasAudio;
        }

        int positions = rows * longest;
        var ids = new long[positions];
        var audioMask = new byte[positions];
        var feats = anyAudio ? HostTensor<float>.Zeros(positions, Config.PatchSize, Config.FeatDim) : null;
        for (int r = 0; r < rows; r++)
        {
            var input = inputs[first + r];
            input.Ids.CopyTo(ids, r * longest);
            input.AudioMask.CopyTo(audioMask, r * longest);
            if (feats is not null)
            {
                input.Feats.Data.CopyTo(feats.Data, r * longest * PatchValues);
            }
        }

        // embeds = text_mask·E[id] + audio_mask·feat_embed (the masks are complementary).
        var combined = _modules.TextEmbeddings(ids).Data;
        var featEmbed = feats is null ? null : _modules.EncodePatches(feats).FeatEmbed.Data;
        for (int t = 0; t < positions; t++)
        {
            if (audioMask[t] != 0)
            {
                featEmbed.AsSpan(t * h, h).CopyTo(combined.AsSpan(t * h));
            }
        }

        int firstSlot = states[first].Slot;
        using var baseCache = _slots.Base.Slice(firstSlot, rows);
        using var residualCache = _slots.Residual.Slice(firstSlot, rows);
        var baseOut = VoxCpmModules.Prefill(_modules.BaseLm, baseCache, new HostTensor<float>(combined, rows, longest, h));
        var residualIn = _modules.ResidualPrefillInput(baseOut, featEmbed, audioMask);
        var residualOut = VoxCpmModules.Prefill(_modules.ResidualLm, residualCache, residualIn.Reshape(rows, longest, h));

        var lmRows = new float[rows * h];
        var residualRows = new float[rows * h];
        for (int r = 0; r < rows; r++)
        {
            int length = inputs[first + r].Length;
            baseCache.Lengths[r] = length;
            residualCache.Lengths[r] = length;
            int last = (r * longest) + length - 1;
            var lastHidden = audioMask[last] != 0 ? baseOut.HiddenFsq!.Data : baseOut.Hidden.Data;
            lastHidden.AsSpan(last * h, h).CopyTo(lmRows.AsSpan(r * h));
            residualOut.Hidden.Data.AsSpan(last * h, h).CopyTo(residualRows.AsSpan(r * h));
        }

        using var lmValues = OrtValue.CreateTensorValueFromMemory(lmRows, [rows, h]);
        using var residualValues = OrtValue.CreateTensorValueFromMemory(residualRows, [rows, h]);
        using var lmSlots = DeviceMemory.View(_lmHidden[_current], firstSlot, rows, h, rows, h);
        using var residualSlots = DeviceMemory.View(_residualHidden[_current], firstSlot, rows, h, rows, h);
        _device.Copy((lmValues, lmSlots), (residualValues, residualSlots));
    }
}
