using VoxCpm.Engine.Checkpoints;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>Layouts the fixtures do not show but published or converted checkpoints may: same weights, other files.</summary>
public sealed class CheckpointFileVariantTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxcpm-ckpt-").FullName;
    private readonly LoadedCheckpoint _reference = CheckpointLoader.Load(TinyFixtures.Checkpoint("v05"));

    public CheckpointFileVariantTests()
    {
        foreach (string name in new[] { "config.json", "tokenizer.json" })
        {
            File.Copy(Path.Combine(TinyFixtures.Checkpoint("v05"), name), Path.Combine(_dir, name));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ignores_audio_vae_weights_in_the_main_file_and_accepts_prefixed_vae_keys()
    {
        using var archives = new TorchArchive();
        var main = _reference.Model.Names.ToDictionary(n => n, n => Flat(_reference.Model, n));
        main["audio_vae.decoder.model.0.bias"] = ([1], [42f]);
        File.Copy(archives.WriteFloat32StateDict(main, wrapped: true), Path.Combine(_dir, "pytorch_model.bin"));

        using (var raw = PyTorchCheckpointReader.Open(Path.Combine(TinyFixtures.Checkpoint("v05"), "audiovae.pth")))
        {
            var vae = raw.Tensors.Keys.ToDictionary(n => "audio_vae." + n, n => { var t = raw.ReadFloat32(n); return (t.LongShape, t.Data); });
            File.Copy(archives.WriteFloat32StateDict(vae), Path.Combine(_dir, "audiovae.pth"));
        }

        var loaded = CheckpointLoader.Load(_dir);

        AssertSameWeights(_reference.Model, loaded.Model);
        AssertSameWeights(_reference.AudioVae, loaded.AudioVae);
        Assert.Contains(loaded.IgnoredTensors, t => t.File == "pytorch_model.bin" && t.Name == "audio_vae.decoder.model.0.bias");
    }

    [Fact]
    public void Prefers_audiovae_safetensors_and_accepts_already_folded_conv_weights()
    {
        File.Copy(Path.Combine(TinyFixtures.Checkpoint("v05"), "pytorch_model.bin"), Path.Combine(_dir, "pytorch_model.bin"));
        File.WriteAllText(Path.Combine(_dir, "audiovae.pth"), "not a checkpoint: must not be opened");
        SafeTensorsWriter.Write(Path.Combine(_dir, "audiovae.safetensors"), _reference.AudioVae.Names.Select(n => (n, _reference.AudioVae.Take(n, Shape(_reference.AudioVae, n)))));

        var loaded = CheckpointLoader.Load(_dir);

        Assert.EndsWith("audiovae.safetensors", loaded.AudioVae.Source, StringComparison.Ordinal);
        AssertSameWeights(_reference.AudioVae, loaded.AudioVae);
    }

    private static void AssertSameWeights(WeightStore expected, WeightStore actual)
    {
        Assert.Equal(expected.Names.Order(), actual.Names.Order());
        foreach (string name in expected.Names)
        {
            Assert.Equal(Flat(expected, name).Values, actual.Take(name, Shape(expected, name)).Data);
        }
    }

    private static (long[] Shape, float[] Values) Flat(WeightStore store, string name)
    {
        var t = store.Take(name, Shape(store, name));
        return (t.LongShape, t.Data);
    }

    private static int[] Shape(WeightStore store, string name) => store.Peek(name).Shape;
}
