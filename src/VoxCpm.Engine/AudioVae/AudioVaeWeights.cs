using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// The AudioVAE's weights, checked against <see cref="AudioVaeLayout.ExpectedWeights"/>: every key present with its
/// exact shape (the official loader uses <c>strict=False</c>, so a misnamed key would silently stay random there).
/// Conv weights are the folded weight-norm product <c>g·v/‖v‖</c> under the plain key <c>X.weight</c>.
/// </summary>
internal sealed class AudioVaeWeights
{
    private readonly Dictionary<string, HostTensor<float>> _tensors;

    private AudioVaeWeights(Dictionary<string, HostTensor<float>> tensors) => _tensors = tensors;

    public HostTensor<float> this[string key] =>
        _tensors.TryGetValue(key, out var tensor) ? tensor : throw new KeyNotFoundException($"AudioVAE weight '{key}' is not part of the layout.");

    /// <param name="layout">The stacks the weights must fill.</param>
    /// <param name="lookup">Returns the tensor stored under a key (without the <c>audio_vae.</c> prefix), or null if absent.</param>
    public static AudioVaeWeights Load(AudioVaeLayout layout, Func<string, HostTensor<float>?> lookup)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(lookup);
        var tensors = new Dictionary<string, HostTensor<float>>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (key, shape) in layout.ExpectedWeights())
        {
            var tensor = lookup(key);
            if (tensor is null)
            {
                missing.Add(key);
                continue;
            }

            if (!tensor.Shape.AsSpan().SequenceEqual(shape))
            {
                throw new CheckpointFormatException($"AudioVAE weight '{key}' has shape {tensor.ShapeText}, expected {HostTensor<float>.ShapeToText(shape)} for audio_vae_config {Describe(layout)}.");
            }

            tensors.Add(key, tensor);
        }

        if (missing.Count > 0)
        {
            throw new CheckpointFormatException($"AudioVAE checkpoint lacks {missing.Count} weight(s) required by audio_vae_config {Describe(layout)}: {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.");
        }

        return new AudioVaeWeights(tensors);
    }

    private static string Describe(AudioVaeLayout layout) =>
        $"(encoder_dim {layout.Config.EncoderDim}, encoder_rates [{string.Join(",", layout.Config.EncoderRates)}], decoder_dim {layout.Config.DecoderDim}, decoder_rates [{string.Join(",", layout.Config.DecoderRates)}], depthwise {layout.Config.Depthwise})";
}
