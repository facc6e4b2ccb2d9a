using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Parity;

/// <summary>
/// The AudioVAE decodes that only the reference checks need: at another rate's sample-rate condition, and layer by
/// layer. Each builds its graph and session per call from the VAE's own weights, so serving never pays for them.
/// </summary>
internal static class VaeReferenceDecodes
{
    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;

    /// <summary>
    /// V2: decodes with the sample-rate condition rows of another rate (<c>decode(z, sr_cond)</c>):
    /// <c>latents [B, latent, F]</c> → <c>wav [B, 1, F·decoder hop]</c>.
    /// </summary>
    public static HostTensor<float> DecodeWithConditionRate(AudioVaeRuntime vae, HostTensor<float> latents, int conditionRate)
    {
        using var model = AudioVaeGraphs.BuildDecoder(vae.Layout, vae.Weights, conditionRate);
        var outputs = Run(vae, model, latents, [AudioVaeGraphs.WavName]);
        return outputs[0];
    }

    /// <summary>
    /// Decodes one-shot and returns the output of every official decoder module by its key (<c>decoder.model.3</c>,
    /// <c>decoder.sr_cond_model.3</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, HostTensor<float>> DecodeTrace(AudioVaeRuntime vae, HostTensor<float> latents)
    {
        var modules = vae.Layout.DecoderModules;
        using var model = BuildTracedDecoder(vae.Layout, vae.Weights);
        var outputs = Run(vae, model, latents, [.. modules.Select(m => TraceName(m.Key))]);
        var trace = new Dictionary<string, HostTensor<float>>(StringComparer.Ordinal);
        for (int i = 0; i < modules.Count; i++)
        {
            trace.Add(modules[i].Key, outputs[i]);
        }

        return trace;
    }

    /// <summary>The one-shot decoder with every official decoder module's output as an output of its own.</summary>
    private static OnnxModel BuildTracedDecoder(AudioVaeLayout layout, AudioVaeWeights weights)
    {
        var g = new GraphBuilder("audio_vae_traced_decoder");
        string x = g.Input(AudioVaeGraphs.LatentsName, Float, "batch", layout.LatentDim, "frames");
        var emitter = VaeGraphEmitter.OneShot(g, weights, layout.Config.DecodeSampleRate);
        foreach (var module in layout.DecoderModules)
        {
            x = emitter.Emit(module.Layers, x);
            g.Alias(x, TraceName(module.Key));
            g.Output(TraceName(module.Key), Float, "batch", "channels", "samples");
        }

        return g.Build();
    }

    private static string TraceName(string moduleKey) => "trace:" + moduleKey;

    private static HostTensor<float>[] Run(AudioVaeRuntime vae, OnnxModel model, HostTensor<float> latents, string[] outputNames)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.Rank != 3 || latents.Shape[1] != vae.Layout.LatentDim || latents.Shape[2] == 0)
        {
            throw new ArgumentException($"latents must be [batch, {vae.Layout.LatentDim}, length > 0], got {latents.ShapeText}.", nameof(latents));
        }

        using var session = SessionFactory.Create(model, vae.Options);
        using var input = OrtValue.CreateTensorValueFromMemory(latents.Data, latents.LongShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [AudioVaeGraphs.LatentsName], [input], outputNames);
        var results = new HostTensor<float>[outputNames.Length];
        for (int i = 0; i < outputNames.Length; i++)
        {
            int[] shape = [.. outputs[i].GetTensorTypeAndShape().Shape.Select(d => checked((int)d))];
            results[i] = new HostTensor<float>(outputs[i].GetTensorDataAsSpan<float>().ToArray(), shape);
        }

        return results;
    }
}
