using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.AudioVae;

/// <summary>Builds the AudioVAE's ONNX graphs (float32, dynamic batch and length).</summary>
internal static class AudioVaeGraphs
{
    public const string WavName = "wav";
    public const string LatentsName = "latents";

    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;

    /// <summary><c>wav [B, 1, S]</c> (S a multiple of the hop) → <c>latents [B, latent, S/hop]</c>.</summary>
    public static OnnxModel BuildEncoder(AudioVaeLayout layout, AudioVaeWeights weights)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var g = new GraphBuilder("audio_vae_encoder");
        string wav = g.Input(WavName, Float, "batch", 1, "samples");
        g.Alias(VaeGraphEmitter.OneShot(g, weights).Emit(layout.Encoder, wav), LatentsName);
        g.Output(LatentsName, Float, "batch", layout.LatentDim, "frames");
        return g.Build();
    }

    /// <summary><c>latents [B, latent, F]</c> → <c>wav [B, 1, F·decoder hop]</c>.</summary>
    /// <param name="layout">The VAE's stacks.</param>
    /// <param name="weights">Its weights.</param>
    /// <param name="conditionRate">V2: the rate whose condition rows the decoder applies (<c>sr_cond</c>); default out_sample_rate.</param>
    public static OnnxModel BuildDecoder(AudioVaeLayout layout, AudioVaeWeights weights, int? conditionRate = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var g = new GraphBuilder("audio_vae_decoder");
        string latents = g.Input(LatentsName, Float, "batch", layout.LatentDim, "frames");
        g.Alias(VaeGraphEmitter.OneShot(g, weights, conditionRate ?? layout.Config.DecodeSampleRate).Emit(layout.Decoder, latents), WavName);
        g.Output(WavName, Float, "batch", 1, "samples");
        return g.Build();
    }

    /// <summary>
    /// <c>latents [B, latent, n]</c> plus one history input per stateful layer (<c>state_NN [B, C, L]</c>) →
    /// <c>wav [B, 1, n·decoder hop]</c> plus the next histories (<c>next_state_NN</c>, same shapes). See <see cref="StreamingVaeDecoder"/>.
    /// </summary>
    public static StreamingDecoderGraph BuildStreamingDecoder(AudioVaeLayout layout, AudioVaeWeights weights)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var g = new GraphBuilder("audio_vae_streaming_decoder");
        string latents = g.Input(LatentsName, Float, "batch", layout.LatentDim, "frames");
        var states = new List<VaeStreamState>();
        g.Alias(VaeGraphEmitter.Streaming(g, weights, states, layout.Config.DecodeSampleRate).Emit(layout.Decoder, latents), WavName);
        g.Output(WavName, Float, "batch", 1, "samples");
        return new StreamingDecoderGraph(g.Build(), states, layout.LatentDim, layout.DecoderHopLength);
    }
}

/// <summary>The streaming decoder graph and the history tensors it threads from one call to the next.</summary>
internal sealed record StreamingDecoderGraph(OnnxModel Model, IReadOnlyList<VaeStreamState> States, int LatentDim, int DecoderHopLength);
