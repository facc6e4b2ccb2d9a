using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>
/// AudioVAE V2 against the official implementation on the VoxCPM2 tiny fixtures (16 kHz in, 48 kHz out): every VAE
/// component case of every checkpoint under the v2 fixture root, through the parity runner's own check, with the VAE
/// loaded alone from <c>audiovae.pth</c>.
/// </summary>
public class AudioVaeV2FixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> VaeCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string checkpoint in FixtureCase.CheckpointDirectories(TinyFixtures.V2Root))
            {
                foreach (string directory in FixtureCase.CaseDirectories(checkpoint).Where(d => VaeCaseCheck.Handles(Path.GetFileName(d))))
                {
                    data.Add(Path.GetFileName(checkpoint), Path.GetFileName(directory));
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(VaeCases))]
    public void Vae_case_matches_the_official_audio_vae_v2(string checkpoint, string caseName)
    {
        string directory = Path.Combine(TinyFixtures.V2Root, checkpoint);
        var (config, weights) = AudioVaeCheckpoint.Load(directory);
        using var vae = AudioVaeRuntime.Create(config, weights.Find, new OnnxRuntimeOptions { IntraOpThreads = 1 });
        using var fixture = FixtureCase.Open(Path.Combine(directory, "cases", caseName));
        int patchSize = PatchSize(directory);

        var metrics = VaeCaseCheck.Run(vae, patchSize, fixture);

        foreach (var metric in metrics)
        {
            output.WriteLine($"{checkpoint}/{caseName} {metric.Name}: max abs error {metric.MaxAbsError:E2} (tolerance {metric.Tolerance:E0})");
        }

        Assert.NotEmpty(metrics);
        Assert.All(metrics, m => Assert.True(m.Passed, $"{m.Name}: {m.MaxAbsError:E2} > {m.Tolerance:E0}"));
    }

    [Fact]
    public void The_v2_checkpoint_loads_as_audio_vae_v2_with_its_stored_boundaries()
    {
        var (config, weights) = AudioVaeCheckpoint.Load(Path.Combine(TinyFixtures.V2Root, "v2"));

        Assert.Equal(AudioVaeVersion.V2, config.Version);
        Assert.Equal(16000, config.EncodeSampleRate);
        Assert.Equal(48000, config.DecodeSampleRate);
        Assert.Equal(640, config.EncoderHopLength);
        Assert.Equal(1920, config.DecoderHopLength);
        Assert.Equal([20000f, 30000f, 40000f], weights.Find(AudioVaeLayout.BoundariesKey)!.Data);
        Assert.Equal([4, 128], weights.Find("decoder.sr_cond_model.2.scale_embed.weight")!.Shape);
    }

    private static int PatchSize(string checkpointDirectory)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(checkpointDirectory, "config.json")));
        return json.RootElement.GetProperty("patch_size").GetInt32();
    }
}
