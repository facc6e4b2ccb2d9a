using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// The AudioVAE on ONNX Runtime: encode prompts, decode latents one-shot, decode the official streaming window, or
/// hand out exact <see cref="StreamingVaeDecoder"/>s. Sessions are created on first use (a server that never clones
/// voices never builds the encoder). Thread-safe; the returned stream decoders are not.
/// </summary>
internal sealed class AudioVaeRuntime : IDisposable
{
    private readonly OnnxRuntimeOptions _options;
    private readonly AudioVaeWeights _weights;
    private readonly OnnxModel _encoderModel;
    private readonly OnnxModel _decoderModel;
    private readonly StreamingDecoderGraph _streamingGraph;
    private readonly Lazy<InferenceSession> _encoder;
    private readonly Lazy<InferenceSession> _decoder;
    private readonly Lazy<InferenceSession> _streaming;

    private AudioVaeRuntime(AudioVaeLayout layout, AudioVaeWeights weights, OnnxRuntimeOptions options)
    {
        Layout = layout;
        _options = options;
        _weights = weights;
        _encoderModel = AudioVaeGraphs.BuildEncoder(layout, weights);
        _decoderModel = AudioVaeGraphs.BuildDecoder(layout, weights);
        _streamingGraph = AudioVaeGraphs.BuildStreamingDecoder(layout, weights);
        _encoder = new(() => SessionFactory.Create(_encoderModel, _options));
        _decoder = new(() => SessionFactory.Create(_decoderModel, _options));
        _streaming = new(() => SessionFactory.Create(_streamingGraph.Model, _options.Device == ExecutionDevice.Cpu ? _options with { IntraOpThreads = 1 } : _options));
    }

    public AudioVaeLayout Layout { get; }

    /// <summary>The weights and the session options, for one-off graphs over the same VAE (the parity checks' decodes).</summary>
    internal AudioVaeWeights Weights => _weights;

    /// <inheritdoc cref="Weights"/>
    internal OnnxRuntimeOptions Options => _options;

    /// <summary>Input samples per latent frame (at <see cref="AudioVaeConfig.EncodeSampleRate"/>).</summary>
    public int EncoderHopLength => Layout.EncoderHopLength;

    /// <summary>Output samples per latent frame (at <see cref="AudioVaeConfig.DecodeSampleRate"/>).</summary>
    public int DecoderHopLength => Layout.DecoderHopLength;

    /// <param name="config">The checkpoint's <c>audio_vae_config</c>.</param>
    /// <param name="lookup">Folded weights by key (<c>X.weight</c>, <c>X.bias</c>, <c>X.alpha</c>), null when absent.</param>
    /// <param name="options">Device and threads.</param>
    public static AudioVaeRuntime Create(AudioVaeConfig config, Func<string, HostTensor<float>?> lookup, OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = AudioVaeLayout.Create(config);
        return new AudioVaeRuntime(layout, AudioVaeWeights.Load(layout, lookup), options);
    }

    /// <summary>
    /// <c>wav [B, 1, S]</c> → mean latents <c>[B, latent, ceil(S/hop)]</c>; like <c>AudioVAE.encode</c>, the audio is
    /// right-padded with zeros to a multiple of the hop first.
    /// </summary>
    public HostTensor<float> Encode(HostTensor<float> wav)
    {
        ArgumentNullException.ThrowIfNull(wav);
        RequireShape(wav, "wav", 1);
        int batch = wav.Shape[0];
        int samples = wav.Shape[2];
        int hop = EncoderHopLength;
        int padded = (samples + hop - 1) / hop * hop;
        if (padded != samples)
        {
            var data = new float[batch * padded];
            for (int b = 0; b < batch; b++)
            {
                wav.Data.AsSpan(b * samples, samples).CopyTo(data.AsSpan(b * padded));
            }

            wav = new HostTensor<float>(data, batch, 1, padded);
        }

        return Run(_encoder.Value, AudioVaeGraphs.WavName, wav, AudioVaeGraphs.LatentsName, [batch, Layout.LatentDim, padded / hop]);
    }

    /// <summary><c>latents [B, latent, F]</c> → <c>wav [B, 1, F·decoder hop]</c> at the decode rate.</summary>
    public HostTensor<float> Decode(HostTensor<float> latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        RequireShape(latents, "latents", Layout.LatentDim);
        return Run(_decoder.Value, AudioVaeGraphs.LatentsName, latents, AudioVaeGraphs.WavName, [latents.Shape[0], 1, latents.Shape[2] * DecoderHopLength]);
    }

    /// <summary>
    /// The official streaming step (model doc §4.6): decode a window of the most recent latent frames (the last ≤ 3
    /// patches, <c>[1, latent, ≤3P]</c>) from scratch and keep only its last <paramref name="tailSamples"/> samples
    /// (<c>P·decoder hop</c>). Returns <c>[B, tailSamples]</c>.
    /// </summary>
    public HostTensor<float> DecodeWindowTail(HostTensor<float> window, int tailSamples)
    {
        var wav = Decode(window);
        int batch = wav.Shape[0];
        int samples = wav.Shape[2];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tailSamples, samples);
        var tail = new float[batch * tailSamples];
        for (int b = 0; b < batch; b++)
        {
            wav.Data.AsSpan((b * samples) + samples - tailSamples, tailSamples).CopyTo(tail.AsSpan(b * tailSamples));
        }

        return new HostTensor<float>(tail, batch, tailSamples);
    }

    /// <summary>An exact streaming decoder for <paramref name="batchSize"/> streams, all starting from silence.</summary>
    public StreamingVaeDecoder CreateStream(int batchSize = 1) => new(_streaming.Value, _streamingGraph, _options, batchSize);

    public void Dispose()
    {
        foreach (var session in new[] { _encoder, _decoder, _streaming })
        {
            if (session.IsValueCreated)
            {
                session.Value.Dispose();
            }
        }

        _encoderModel.Dispose();
        _decoderModel.Dispose();
        _streamingGraph.Model.Dispose();
    }

    private static HostTensor<float> Run(InferenceSession session, string inputName, HostTensor<float> input, string outputName, int[] outputShape)
    {
        var output = HostTensor<float>.Zeros(outputShape);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input.Data, input.LongShape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output.Data, output.LongShape);
        using var runOptions = new RunOptions();
        long started = OrtTime.Start();
        session.Run(runOptions, [inputName], [inputValue], [outputName], [outputValue]);
        OrtTime.Stop(started);
        return output;
    }

    private static void RequireShape(HostTensor<float> tensor, string name, int channels)
    {
        if (tensor.Rank != 3 || tensor.Shape[1] != channels || tensor.Shape[2] == 0)
        {
            throw new ArgumentException($"{name} must be [batch, {channels}, length > 0], got {tensor.ShapeText}.", name);
        }
    }
}
