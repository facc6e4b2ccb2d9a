using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class CheckpointLoaderTests
{
    [Theory]
    [InlineData("v15")]
    [InlineData("v05bf16")]
    public void Main_model_tensors_are_widened_when_asked_for_and_not_kept_by_the_store(string checkpoint)
    {
        using var model = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint)).Model;
        const string name = "base_lm.embed_tokens.weight";
        var first = WidenAndForget(model, name);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(first.TryGetTarget(out _), "the store still holds a widened tensor nobody uses");

        var again = model.Get(name);
        Assert.Same(again.Data, model.Get(name).Data); // while alive (a session's initializer), the same elements
        Assert.Equal(model.ParameterCount, VoxCpmWeightLayout.Model(CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint)).Config).Sum(t => t.ElementCount));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<float[]> WidenAndForget(WeightStore model, string name) => new(model.Get(name).Data);

    [Theory]
    [InlineData("v05", "pytorch_model.bin")]
    [InlineData("v15", "model.safetensors")]
    [InlineData("v05bf16", "pytorch_model.bin")]
    public void Loads_each_fixture_checkpoint_and_it_matches_the_layout_exactly(string checkpoint, string mainFile)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));

        Assert.EndsWith(mainFile, loaded.Model.Source, StringComparison.Ordinal);
        Assert.EndsWith("audiovae.pth", loaded.AudioVae.Source, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(loaded.Directory, "tokenizer.json"), loaded.TokenizerPath);

        var model = VoxCpmWeightLayout.Model(loaded.Config);
        Assert.Equal(model.Select(t => t.Name).Order(), loaded.Model.Names.Order());
        Assert.All(model, t => Assert.Same(loaded.Model.Take(t.Name, t.Shape).Data, loaded.Model.Take(t.Name, t.Shape).Data));
        loaded.Model.AssertAllUsed();

        var vae = VoxCpmWeightLayout.AudioVae(loaded.Config.AudioVaeConfig).Where(t => !t.TrainingOnly).ToList();
        Assert.Equal(vae.Select(t => t.Name).Order(), loaded.AudioVae.Names.Order());
        Assert.All(vae, t => loaded.AudioVae.Take(t.Name, t.Shape));
        loaded.AudioVae.AssertAllUsed();
        Assert.DoesNotContain(loaded.AudioVae.Names, n => n.EndsWith("weight_g", StringComparison.Ordinal) || n.EndsWith("weight_v", StringComparison.Ordinal));

        // The only stored tensors left out are the training-only fc_logvar conv (weight_g, weight_v, bias).
        Assert.Equal(
            ["encoder.fc_logvar.bias", "encoder.fc_logvar.weight_g", "encoder.fc_logvar.weight_v"],
            loaded.IgnoredTensors.Select(t => t.Name).Order());
        Assert.All(loaded.IgnoredTensors, t => Assert.Equal("training only", t.Reason));
    }

    [Fact]
    public void Reports_a_missing_tensor_by_name_and_expected_shape()
    {
        using var dir = new ModifiedCheckpoint("v05", config => config.Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", StringComparison.Ordinal));
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(dir.Path));
        Assert.Contains("pytorch_model.bin: does not match config.json (9 problem(s))", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing tensor 'base_lm.layers.2.mlp.up_proj.weight' (expected [160, 64])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_mis_shaped_tensor_with_both_shapes()
    {
        using var dir = new ModifiedCheckpoint("v05", config => config.Replace("\"intermediate_size\": 160", "\"intermediate_size\": 176", StringComparison.Ordinal));
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(dir.Path));
        Assert.Contains("tensor 'base_lm.layers.0.mlp.gate_proj.weight' has shape [160, 64] but the config expects [176, 64]", e.Message, StringComparison.Ordinal);
        Assert.Contains("(12 problem(s))", e.Message, StringComparison.Ordinal); // 2 LM stacks × 2 layers × 3 MLP weights
    }

    [Fact]
    public void Reports_a_vae_layout_mismatch_against_the_weight_norm_pair()
    {
        using var dir = new ModifiedCheckpoint("v05", config => config.Replace("\"use_noise_block\": false", "\"use_noise_block\": true", StringComparison.Ordinal));
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(dir.Path));
        Assert.Contains("audiovae.pth: does not match config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing tensor 'decoder.model.2.block.2.linear.weight_g' of the weight-normed 'decoder.model.2.block.2.linear.weight' (expected [16, 16, 1])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefers_model_safetensors_over_pytorch_model_bin_like_the_official_loader()
    {
        using var dir = new ModifiedCheckpoint("v15", config => config);
        File.Copy(Path.Combine(TinyFixtures.Checkpoint("v05"), "pytorch_model.bin"), Path.Combine(dir.Path, "pytorch_model.bin"));
        var loaded = CheckpointLoader.Load(dir.Path);
        Assert.EndsWith("model.safetensors", loaded.Model.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_missing_file_when_there_are_no_main_weights()
    {
        using var dir = new ModifiedCheckpoint("v05", config => config, skip: "pytorch_model.bin");
        var e = Assert.Throws<FileNotFoundException>(() => CheckpointLoader.Load(dir.Path));
        Assert.Contains("expected model.safetensors or pytorch_model.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_the_full_size_configs_with_their_published_parameter_counts()
    {
        string root = Path.Combine(TinyFixtures.Root, "real-configs");
        long Count(string file) => VoxCpmWeightLayout.Model(VoxCpmConfig.Load(Path.Combine(root, file))).Sum(t => t.ElementCount);

        // Model doc §1.3: 652 M (0.5B) and 802 M (1.5), main model without the audio VAE.
        Assert.InRange(Count("voxcpm-0.5b.config.json"), 651_500_000, 652_900_000);
        Assert.InRange(Count("voxcpm1.5.config.json"), 801_500_000, 802_900_000);
    }

    /// <summary>A temp copy of a fixture checkpoint with an edited config.json.</summary>
    private sealed class ModifiedCheckpoint : IDisposable
    {
        public ModifiedCheckpoint(string checkpoint, Func<string, string> editConfig, string? skip = null)
        {
            Path = Directory.CreateTempSubdirectory("voxcpm-ckpt-").FullName;
            foreach (string file in Directory.EnumerateFiles(TinyFixtures.Checkpoint(checkpoint)))
            {
                string name = System.IO.Path.GetFileName(file);
                if (name != skip)
                {
                    File.Copy(file, System.IO.Path.Combine(Path, name));
                }
            }

            string configPath = System.IO.Path.Combine(Path, "config.json");
            File.WriteAllText(configPath, editConfig(File.ReadAllText(configPath)));
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
