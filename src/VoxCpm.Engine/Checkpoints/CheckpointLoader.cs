using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Loads a VoxCPM model directory as published on Hugging Face (openbmb/VoxCPM-0.5B: <c>pytorch_model.bin</c>;
/// openbmb/VoxCPM1.5: <c>model.safetensors</c>; both: <c>audiovae.pth</c>, <c>config.json</c>, <c>tokenizer.json</c>).
/// File preference follows the official <c>from_local</c>; unlike it (<c>strict=False</c>), every weight the config
/// implies must be present with its shape, and the check runs on the headers before any weight is read.
/// </summary>
internal static class CheckpointLoader
{
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = "tokenizer.json";
    private const string VaePrefix = "audio_vae.";
    private static readonly string[] s_modelFiles = ["model.safetensors", "pytorch_model.bin"];
    private static readonly string[] s_audioVaeFiles = ["audiovae.safetensors", "audiovae.pth"];

    public static LoadedCheckpoint Load(string modelDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        string directory = Path.GetFullPath(modelDirectory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist.");
        }

        var config = VoxCpmConfig.Load(RequireFile(directory, ConfigFile));
        string tokenizer = RequireFile(directory, TokenizerFile);
        var ignored = new List<IgnoredTensor>();

        // The main model is read on demand (widened tensor by tensor as the sessions are built); the store keeps the file.
        var modelFile = OpenFirst(directory, s_modelFiles, "main model weights");
        WeightStore model;
        try
        {
            model = ReadOnDemand(modelFile, VoxCpmWeightLayout.Model(config), foreignPrefix: VaePrefix, ignored);
        }
        catch
        {
            modelFile.Dispose();
            throw;
        }

        var audioVae = LoadAudioVaeWeights(directory, config.AudioVaeConfig, ignored, cancellationToken);

        return new LoadedCheckpoint
        {
            Config = config,
            Model = model,
            AudioVae = audioVae,
            TokenizerPath = tokenizer,
            Directory = directory,
            IgnoredTensors = ignored,
        };
    }

    /// <summary>The VAE weights file of a model directory (<c>audiovae.safetensors</c>, else <c>audiovae.pth</c>), checked against <paramref name="vae"/>.</summary>
    public static WeightStore LoadAudioVaeWeights(string directory, AudioVaeConfig vae, List<IgnoredTensor> ignored, CancellationToken cancellationToken)
    {
        using var file = OpenFirst(directory, s_audioVaeFiles, "audio VAE weights");
        return Read(file, VoxCpmWeightLayout.AudioVae(vae), stripPrefix: VaePrefix, foreignPrefix: null, ignored, cancellationToken);
    }

    /// <summary>Opens a weights file by its extension: safetensors, or a <c>torch.save</c> zip archive.</summary>
    public static ITensorFile OpenTensorFile(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? SafeTensorsFile.Open(path) : PyTorchCheckpointReader.Open(path);

    private static WeightStore Read(ITensorFile file, IReadOnlyList<ExpectedTensor> layout, string? stripPrefix, string? foreignPrefix, List<IgnoredTensor> ignored, CancellationToken cancellationToken)
    {
        var (plan, leftovers) = LayoutMatcher.Match(file, layout, stripPrefix, foreignPrefix);
        ignored.AddRange(leftovers);
        var store = new WeightStore(file.Path);
        foreach (var item in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tensor = item switch
            {
                { Expected.Kind: WeightKind.IntegerBuffer, Plain: { } buffer } => IntegersAsFloat32(file, buffer.Name),
                { Plain: { } plain } => file.ReadFloat32(plain.Name),
                _ => WeightNorm.Fold(file.ReadFloat32(item.Gain!.Name), file.ReadFloat32(item.Direction!.Name)),
            };
            store.Add(item.Expected.Name, tensor.Reshape(item.Expected.Shape));
        }

        return store;
    }

    /// <summary>An integer buffer as float32 (the weight store's type), refused where float32 would round a value.</summary>
    private static HostTensor<float> IntegersAsFloat32(ITensorFile file, string name)
    {
        var integers = file.ReadInt64(name);
        const long Exact = 1 << 24;
        if (integers.Data.Any(v => v is > Exact or < -Exact))
        {
            throw new CheckpointFormatException(file.Path, $"integer buffer '{name}' holds values beyond ±2^24, which float32 cannot hold exactly");
        }

        return new HostTensor<float>(Array.ConvertAll(integers.Data, v => (float)v), integers.Shape);
    }

    /// <summary>
    /// A store whose tensors are read from <paramref name="file"/> when a builder asks for them (the layout is checked on
    /// the headers now); it owns the file. No second full copy of the weights is ever held: bf16 is widened per tensor.
    /// </summary>
    private static WeightStore ReadOnDemand(ITensorFile file, IReadOnlyList<ExpectedTensor> layout, string? foreignPrefix, List<IgnoredTensor> ignored)
    {
        var (plan, leftovers) = LayoutMatcher.Match(file, layout, stripPrefix: null, foreignPrefix);
        ignored.AddRange(leftovers);
        var store = new WeightStore(file.Path);
        store.Own(file);
        foreach (var item in plan)
        {
            var expected = item.Expected;
            store.Add(expected.Name, expected.Shape, values =>
            {
                using var phase = LoadClock.Measure(LoadPhase.CheckpointRead);
                if (item.Plain is { } plain)
                {
                    file.ReadFloat32(plain.Name, values);
                }
                else
                {
                    WeightNorm.Fold(file.ReadFloat32(item.Gain!.Name), file.ReadFloat32(item.Direction!.Name)).Data.CopyTo(values);
                }
            });
        }

        return store;
    }

    private static string RequireFile(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"'{directory}' is not a VoxCPM model directory: {name} is missing.", path);
    }

    private static ITensorFile OpenFirst(string directory, string[] candidates, string what)
    {
        foreach (string name in candidates)
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return OpenTensorFile(path);
            }
        }

        throw new FileNotFoundException($"No {what} in '{directory}': expected {string.Join(" or ", candidates)}.");
    }
}
