using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class WeightNormTests
{
    [Fact]
    public void Scales_each_dim0_slice_to_its_gain()
    {
        var g = new HostTensor<float>([10f, 2f], 2, 1, 1);
        var v = new HostTensor<float>([3f, 4f, 0f, -5f], 2, 1, 2);
        Assert.Equal([6f, 8f, 0f, -2f], WeightNorm.Fold(g, v).Data);
    }

    [Theory]
    [InlineData("v05")]
    [InlineData("v15")]
    public void Loaded_vae_weights_equal_a_straightforward_recomputation_from_weight_g_and_weight_v(string checkpoint)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        using var raw = PyTorchCheckpointReader.Open(Path.Combine(TinyFixtures.Checkpoint(checkpoint), "audiovae.pth"));

        int folded = 0;
        double maxError = 0;
        foreach (string gName in raw.Tensors.Keys.Where(n => n.EndsWith(".weight_g", StringComparison.Ordinal) && !n.Contains("fc_logvar", StringComparison.Ordinal)))
        {
            string stem = gName[..^"_g".Length];
            var g = raw.ReadFloat32(gName);
            var v = raw.ReadFloat32(stem + "_v");
            var w = loaded.AudioVae.Take(stem, v.Shape); // ConvTranspose included: [in, out, k], normed per input channel
            int rows = v.Shape[0], rowLength = v.Data.Length / rows;
            for (int r = 0; r < rows; r++)
            {
                float norm = MathF.Sqrt(v.Data.Skip(r * rowLength).Take(rowLength).Sum(x => x * x));
                for (int i = 0; i < rowLength; i++)
                {
                    float expected = g.Data[r] * v.Data[(r * rowLength) + i] / norm;
                    maxError = Math.Max(maxError, Math.Abs(expected - w.Data[(r * rowLength) + i]) / Math.Max(1, Math.Abs(expected)));
                }
            }

            folded++;
        }

        Assert.True(folded > 50, $"only {folded} weight-normed convs");
        Assert.True(maxError < 1e-6, $"max relative error {maxError}");
    }
}
