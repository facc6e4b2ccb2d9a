using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class RandomWeightsTests
{
    private static VoxCpmConfig TinyConfig => VoxCpmConfig.Load(Path.Combine(TinyFixtures.Checkpoint("v15"), "config.json"));

    [Fact]
    public void Creates_exactly_the_layout_with_its_shapes()
    {
        var config = TinyConfig;
        var (model, vae) = RandomWeights.Create(config, seed: 7);

        foreach (var t in VoxCpmWeightLayout.Model(config))
        {
            model.Take(t.Name, t.Shape);
        }

        foreach (var t in VoxCpmWeightLayout.AudioVae(config.AudioVaeConfig).Where(t => !t.TrainingOnly))
        {
            vae.Take(t.Name, t.Shape);
        }

        model.AssertAllUsed();
        vae.AssertAllUsed();
    }

    [Fact]
    public void Is_deterministic_in_the_seed()
    {
        var a = RandomWeights.Create(TinyConfig, seed: 1).Model.Take("base_lm.embed_tokens.weight", 583, 64).Data;
        var b = RandomWeights.Create(TinyConfig, seed: 1).Model.Take("base_lm.embed_tokens.weight", 583, 64).Data;
        var c = RandomWeights.Create(TinyConfig, seed: 2).Model.Take("base_lm.embed_tokens.weight", 583, 64).Data;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Draws_values_with_the_fixture_init_statistics()
    {
        var (model, vae) = RandomWeights.Create(TinyConfig, seed: 3);

        var embed = model.Take("base_lm.embed_tokens.weight", 583, 64).Data; // N(0, 1)
        Assert.InRange(embed.Average(), -0.03, 0.03);
        Assert.InRange(Std(embed), 0.97, 1.03);

        var linear = model.Take("base_lm.layers.0.mlp.down_proj.weight", 64, 160).Data; // N(0, 1/160)
        Assert.InRange(Std(linear), 0.95 / Math.Sqrt(160), 1.05 / Math.Sqrt(160));

        var norm = model.Take("base_lm.norm.weight", 64).Data; // 1 + N(0, 0.1²)
        Assert.InRange(norm.Average(), 0.95, 1.05);

        var alpha = vae.Take("decoder.model.2.block.0.alpha", 1, 64, 1).Data; // U(0.5, 1.5)
        Assert.All(alpha, a => Assert.InRange(a, 0.5f, 1.5f));
        Assert.InRange(alpha.Average(), 0.85, 1.15);
    }

    private static double Std(float[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
