using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Parity;

/// <summary>The engine reproduces every reference case of the shared fixtures within the README's tolerance.</summary>
public class ParityRunnerTests(ITestOutputHelper output)
{
    public static TheoryData<string> Checkpoints() => new(FixtureCase.CheckpointDirectories(TinyFixtures.Root).Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public async Task Every_case_of_the_checkpoint_matches_the_official_outputs(string checkpoint)
    {
        var results = new List<ParityResult>();
        await foreach (var result in ParityRunner.RunCheckpointAsync(TinyFixtures.Checkpoint(checkpoint)))
        {
            output.WriteLine(result.Describe());
            results.Add(result);
        }

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Passed, r.Describe()));
    }

    /// <summary>The VoxCPM2 root (its own fixture directory, beside voxcpm-tiny): every mode and component, waveforms included.</summary>
    [Fact]
    public async Task Every_voxcpm2_case_matches_the_official_outputs()
    {
        var results = new List<ParityResult>();
        await foreach (var result in ParityRunner.RunAsync(TinyFixtures.V2Root))
        {
            output.WriteLine(result.Describe());
            results.Add(result);
        }

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Passed, r.Describe()));
    }

    [Fact]
    public async Task A_wrong_reference_value_fails_its_case()
    {
        // Copy one case and perturb its expected waveform: the runner must notice.
        string source = TinyFixtures.Checkpoint("v05");
        string copy = Directory.CreateTempSubdirectory("voxcpm-parity-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            string caseDir = Path.Combine(copy, "cases", "vae_decode");
            Directory.CreateDirectory(caseDir);
            File.Copy(Path.Combine(source, "cases", "vae_decode", "case.json"), Path.Combine(caseDir, "case.json"));
            byte[] tensors = await File.ReadAllBytesAsync(Path.Combine(source, "cases", "vae_decode", "tensors.safetensors"));
            tensors[^1] ^= 0x40; // flips a high bit of the last float of the last tensor
            await File.WriteAllBytesAsync(Path.Combine(caseDir, "tensors.safetensors"), tensors);

            var results = new List<ParityResult>();
            await foreach (var result in ParityRunner.RunCheckpointAsync(copy))
            {
                results.Add(result);
            }

            var only = Assert.Single(results);
            Assert.False(only.Passed, only.Describe());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
