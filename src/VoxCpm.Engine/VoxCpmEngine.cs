using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Engine.Tensors;
using VoxCpm.Engine.Text;

namespace VoxCpm.Engine;

/// <summary>
/// A loaded VoxCPM model and the one scheduler that runs it. Built from a checkpoint directory as published on
/// Hugging Face, or from a config with random weights of the real shapes (benchmarks).
/// </summary>
public sealed partial class VoxCpmEngine : IAsyncDisposable
{
    private readonly OnnxVoxCpmModules _modules;
    private readonly AudioVaeRuntime _vae;
    private readonly VoxCpmTokenizer _tokenizer;
    private readonly ILogger _logger;
    private readonly VoxCpmGenerator _generator;

    private VoxCpmEngine(VoxCpmConfig config, OnnxVoxCpmModules modules, AudioVaeRuntime vae, VoxCpmTokenizer tokenizer, EngineOptions options, ExecutionDevice device, ComputePrecision precision, TimeSpan loadTime, LoadTimings loadTimings, ILogger logger)
    {
        LoadTimings = loadTimings;
        Precision = precision;
        Config = config;
        _modules = modules;
        _vae = vae;
        _tokenizer = tokenizer;
        _logger = logger;
        Options = options;
        Device = device;
        LoadTime = loadTime;
        _generator = CreateGenerator(options.StreamingDecodeMode);
        Scheduler = new InferenceScheduler<GenerationRequest>(_generator, options.Scheduler, logger);
    }

    public VoxCpmConfig Config { get; }

    public EngineOptions Options { get; }

    /// <summary>The device the graphs actually run on (after any CUDA → CPU fallback).</summary>
    public ExecutionDevice Device { get; }

    /// <summary>What the transformer graphs compute in (after resolving <see cref="ComputePrecision.Auto"/> against <see cref="Device"/>).</summary>
    public ComputePrecision Precision { get; }

    public TimeSpan LoadTime { get; }

    /// <summary>Where <see cref="LoadTime"/> went, phase by phase (no warm-up: the engine does not run one itself).</summary>
    public LoadTimings LoadTimings { get; }

    /// <summary>The rate of the audio the engine produces (the VAE decoder's; VoxCPM2: 48 kHz, while it reads 16 kHz).</summary>
    public int SampleRate => Config.OutputSampleRate;

    /// <summary>The rate reference and prompt audio are resampled to before encoding (the VAE encoder's).</summary>
    public int InputSampleRate => Config.SampleRate;

    /// <summary>Whether the model takes reference audio without a transcript (<see cref="GenerationRequest.Reference"/>): VoxCPM2.</summary>
    public bool SupportsReferenceAudio => Config.IsVoxCpm2;

    /// <summary>The scheduler every entry point submits to.</summary>
    public InferenceScheduler<GenerationRequest> Scheduler { get; }

    /// <summary>Loads a model directory (config.json, weights, audiovae, tokenizer.json).</summary>
    public static VoxCpmEngine Load(string modelDirectory, EngineOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.StartNew();
        using var timing = LoadClock.Start(LoadPhase.GraphBuild, out var clock);
        LoadedCheckpoint checkpoint;
        using (LoadClock.Measure(LoadPhase.CheckpointRead))
        {
            checkpoint = CheckpointLoader.Load(modelDirectory, cancellationToken);
        }

        using var model = checkpoint.Model; // read on demand while the sessions are built; they hold what they use
        return Build(checkpoint.Config, model, checkpoint.AudioVae, checkpoint.TokenizerPath, options, started, clock, logger);
    }

    /// <summary>An engine with random weights of the config's real shapes: same compute as the real model, for speed.</summary>
    public static VoxCpmEngine CreateWithRandomWeights(string configPath, string tokenizerPath, EngineOptions options, int seed = 1, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.StartNew();
        using var timing = LoadClock.Start(LoadPhase.GraphBuild, out var clock);
        var config = VoxCpmConfig.Load(configPath);
        var (model, audioVae) = RandomWeights.Create(config, seed);
        return Build(config, model, audioVae, tokenizerPath, options, started, clock, logger);
    }

    /// <summary>Limits on reference audio files: 20 MiB and 60 s.</summary>
    public static AudioDecodeLimits ReferenceAudioLimits { get; } = new(20L * 1024 * 1024, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Encodes a reference voice from a WAV file: decoded, mixed to mono, resampled to the model rate with a
    /// band-limited filter, optionally denoised, then encoded by <see cref="EncodeVoice(ReadOnlySpan{float}, string)"/>.
    /// </summary>
    public VoicePrompt EncodeVoice(ReadOnlySpan<byte> wavFile, string transcript, bool denoise) =>
        EncodeVoice(PrepareAudio(wavFile, denoise, padLeft: true), transcript);

    /// <summary>
    /// Encodes a reference voice from audio already decoded (any container the host reads): resampled to the model
    /// rate, optionally denoised, then encoded like the WAV overload.
    /// </summary>
    public VoicePrompt EncodeVoice(DecodedAudio audio, string transcript, bool denoise)
    {
        float[] samples;
        try
        {
            samples = ReferenceAudioPreprocessor.ForModel(Config, denoise ? new SpectralDenoiser() : null).Prepare(audio, denoise);
        }
        catch (AudioFormatException e)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio cannot be used: " + e.Message, e);
        }

        return EncodeVoice(samples, transcript);
    }

    /// <summary>
    /// Encodes a reference voice once: mono samples at the model's sample rate are left-padded with zeros to whole
    /// patches (so real audio sits at the end, as the reference does), VAE-encoded and cut into patches.
    /// Thread-safe; runs on the caller's thread, not the scheduler's.
    /// </summary>
    public VoicePrompt EncodeVoice(ReadOnlySpan<float> samples, string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return new VoicePrompt(transcript, EncodePatches(samples, padLeft: true));
    }

    /// <summary>VoxCPM2 reference audio from a WAV file, prepared as for <see cref="EncodeVoice(ReadOnlySpan{byte}, string, bool)"/>.</summary>
    public VoiceReference EncodeReference(ReadOnlySpan<byte> wavFile, bool denoise) => EncodeReference(PrepareAudio(wavFile, denoise, padLeft: false));

    /// <summary>VoxCPM2 reference audio already decoded (any container the host reads), prepared as for the WAV overload.</summary>
    public VoiceReference EncodeReference(DecodedAudio audio, bool denoise)
    {
        float[] samples;
        try
        {
            samples = ReferenceAudioPreprocessor.ForModel(Config, denoise ? new SpectralDenoiser() : null).Prepare(audio, denoise, padLeft: false);
        }
        catch (AudioFormatException e)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio cannot be used: " + e.Message, e);
        }

        return EncodeReference(samples);
    }

    /// <summary>
    /// Encodes VoxCPM2 reference audio once: mono samples at <see cref="InputSampleRate"/> are right-padded with zeros to
    /// whole patches (the reference pads reference audio on the right, prompt audio on the left) and VAE-encoded.
    /// </summary>
    public VoiceReference EncodeReference(ReadOnlySpan<float> samples)
    {
        if (!SupportsReferenceAudio)
        {
            throw new SynthesisException("invalid_request", "reference audio (without a transcript) needs a VoxCPM2 model; the loaded model clones only from prompt audio with its transcript.");
        }

        return new VoiceReference(EncodePatches(samples, padLeft: false));
    }

    private float[] PrepareAudio(ReadOnlySpan<byte> wavFile, bool denoise, bool padLeft)
    {
        try
        {
            return ReferenceAudioPreprocessor.ForModel(Config, denoise ? new SpectralDenoiser() : null).Prepare(wavFile, ReferenceAudioLimits, denoise, padLeft);
        }
        catch (AudioFormatException e)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio cannot be used: " + e.Message, e);
        }
    }

    /// <summary>Zero-pads to whole patches on one side, VAE-encodes and cuts into patches <c>[N, P, feat_dim]</c>.</summary>
    private HostTensor<float> EncodePatches(ReadOnlySpan<float> samples, bool padLeft)
    {
        if (samples.IsEmpty)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio is empty.");
        }

        int patchSamples = Config.PatchSamples;
        int padded = (samples.Length + patchSamples - 1) / patchSamples * patchSamples;
        var audio = new float[padded];
        samples.CopyTo(audio.AsSpan(padLeft ? padded - samples.Length : 0));
        var latents = _vae.Encode(new HostTensor<float>(audio, 1, 1, padded)).Data; // [64, F]
        int frames = padded / Config.HopLength;
        int patches = frames / Config.PatchSize;
        int d = Config.FeatDim;
        var data = new float[patches * Config.PatchSize * d];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < d; c++)
            {
                data[(f * d) + c] = latents[(c * frames) + f];
            }
        }

        return new HostTensor<float>(data, patches, Config.PatchSize, d);
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.DisposeAsync();
        _generator.Dispose();
        _modules.Dispose();
        _vae.Dispose();
        _tokenizer.Dispose();
    }

    /// <summary>A generator over this engine's modules (the parity runner drives one directly, in the official streaming mode).</summary>
    internal VoxCpmGenerator CreateGenerator(StreamingDecodeMode mode) =>
        new(_modules, new OnnxAudioVae(_vae, Options.Scheduler.MaxConcurrent), new TokenizerFrontEnd(_tokenizer), mode);

    internal OnnxVoxCpmModules Modules => _modules;

    /// <summary>How the CFM solver runs, for tools: "cuda graphs", "no cuda graphs (why)" or "bound loop" (Euler steps on bound buffers).</summary>
    internal string SolverMode => _modules.Modules.Dit switch
    {
        { UsesCudaGraphs: true } => "cuda graphs",
        { CudaGraphsUnavailable: { } why } => $"no cuda graphs ({why})",
        _ => "bound loop",
    };

    internal AudioVaeRuntime AudioVae => _vae;

    internal VoxCpmTokenizer Tokenizer => _tokenizer;

    private static VoxCpmEngine Build(VoxCpmConfig config, IWeightSource model, WeightStore audioVae, string tokenizerPath, EngineOptions options, Stopwatch started, LoadClock clock, ILogger? logger)
    {
        logger ??= NullLogger.Instance;
        var device = DeviceProbe.Resolve(options.Device, logger);
        var precision = ComputePrecisions.Resolve(options.Precision, device);
        var runtime = new OnnxRuntimeOptions { Device = device, IntraOpThreads = options.IntraOpThreads, WeightQuantization = options.WeightQuantization, Precision = precision, CudaGraphs = options.CudaGraphs };
        var tokenizer = VoxCpmTokenizer.Load(tokenizerPath);
        OnnxVoxCpmModules? modules = null;
        try
        {
            modules = new OnnxVoxCpmModules(config, model, runtime, options.Scheduler.MaxConcurrent);
            var vae = AudioVaeRuntime.Create(config.AudioVaeConfig, audioVae.Find, runtime);
            var timings = clock.Snapshot();
            var engine = new VoxCpmEngine(config, modules, vae, tokenizer, options, device, precision, started.Elapsed, timings, logger);
            LogLoaded(logger, config.OutputSampleRate, config.PatchSize, device, precision, started.Elapsed.TotalSeconds, timings);
            return engine;
        }
        catch
        {
            modules?.Dispose();
            tokenizer.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "VoxCPM engine ready: {SampleRate} Hz, patch size {PatchSize}, device {Device}, precision {Precision}, built in {Seconds:0.0} s ({Phases})")]
    private static partial void LogLoaded(ILogger logger, int sampleRate, int patchSize, ExecutionDevice device, ComputePrecision precision, double seconds, LoadTimings phases);
}
