using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Loads a VoxCPM model directory as published on Hugging Face (openbmb/VoxCPM-0.5B: <c>pytorch_model.bin</c>;
/// openbmb/VoxCPM1.5: <c>model.safetensors</c>; both: <c>audiovae.pth</c>, <c>config.json</c>, <c>tokenizer.json</c>).
/// File preference follows the official <c>from_local</c>; unlike it (<c>strict=False</c>), every weight the config
/// implies must be present with its shape, and the check runs on the headers before any weight is read. The files stay
/// open until the <see cref="LoadedCheckpoint"/> is disposed: weights are read when the graphs are built.
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

        var files = new List<ITensorFile>(2);
        try
        {
            var modelFile = OpenFirst(directory, s_modelFiles, "main model weights");
            files.Add(modelFile);
            var model = Read(modelFile, VoxCpmWeightLayout.Model(config), stripPrefix: null, foreignPrefix: VaePrefix, ignored, cancellationToken);
            var audioVaeFile = OpenFirst(directory, s_audioVaeFiles, "audio VAE weights");
            files.Add(audioVaeFile);
            var audioVae = Read(audioVaeFile, VoxCpmWeightLayout.AudioVae(config.AudioVaeConfig), stripPrefix: VaePrefix, foreignPrefix: null, ignored, cancellationToken);
            return new LoadedCheckpoint(files)
            {
                Config = config,
                Model = model,
                AudioVae = audioVae,
                TokenizerPath = tokenizer,
                Directory = directory,
                IgnoredTensors = ignored,
            };
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>Opens a weights file by its extension: safetensors, or a <c>torch.save</c> zip archive.</summary>
    public static ITensorFile OpenTensorFile(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? SafeTensorsFile.Open(path) : PyTorchCheckpointReader.Open(path);

    // The layout is checked on the headers here; each tensor is read (and its weight norm folded) only when a graph
    // builder takes it, so the checkpoint is never in memory as a whole beside the converted weights.
    private static WeightStore Read(ITensorFile file, IReadOnlyList<ExpectedTensor> layout, string? stripPrefix, string? foreignPrefix, List<IgnoredTensor> ignored, CancellationToken cancellationToken)
    {
        var (plan, leftovers) = LayoutMatcher.Match(file, layout, stripPrefix, foreignPrefix);
        ignored.AddRange(leftovers);
        var store = new WeightStore(file.Path);
        foreach (var item in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            store.Add(item.Expected.Name, item.Expected.Shape, () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var phase = LoadClock.Measure(LoadPhase.CheckpointRead);
                var tensor = item.Plain is { } plain
                    ? file.ReadFloat32(plain.Name)
                    : WeightNorm.Fold(file.ReadFloat32(item.Gain!.Name), file.ReadFloat32(item.Direction!.Name));
                return tensor.Reshape(item.Expected.Shape);
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
