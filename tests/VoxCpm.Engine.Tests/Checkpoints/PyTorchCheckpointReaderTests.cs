using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public sealed class PyTorchCheckpointReaderTests : IDisposable
{
    private readonly TorchArchive _archives = new();

    public void Dispose() => _archives.Dispose();

    [Fact]
    public void Reads_the_wrapped_fp32_fixture_state_dict_with_its_shapes_and_bytes()
    {
        string path = Path.Combine(TinyFixtures.Checkpoint("v05"), "pytorch_model.bin");
        using var reader = PyTorchCheckpointReader.Open(path);

        Assert.Equal(107, reader.Tensors.Count);
        var q = reader.Tensors["base_lm.layers.1.self_attn.k_proj.weight"];
        Assert.Equal(TensorElementKind.Float32, q.Kind);
        Assert.Equal([32, 64], q.Shape);

        var embed = reader.ReadFloat32("base_lm.embed_tokens.weight");
        Assert.Equal([583, 64], embed.Shape);
        Assert.Equal(RawStorage(path, "pytorch_model/data/0"), MemoryMarshal.AsBytes(embed.Data.AsSpan()).ToArray());
    }

    [Fact]
    public void Reads_the_plain_vae_state_dict()
    {
        using var reader = PyTorchCheckpointReader.Open(Path.Combine(TinyFixtures.Checkpoint("v05"), "audiovae.pth"));
        Assert.Equal(243, reader.Tensors.Count);
        Assert.Equal([32, 16, 16], reader.Tensors["decoder.model.2.block.1.weight_v"].Shape);
    }

    [Fact]
    public void Widens_bf16_storages_exactly()
    {
        string path = Path.Combine(TinyFixtures.Checkpoint("v05bf16"), "pytorch_model.bin");
        using var reader = PyTorchCheckpointReader.Open(path);
        Assert.All(reader.Tensors.Values, t => Assert.Equal(TensorElementKind.BFloat16, t.Kind));

        var embed = reader.ReadFloat32("base_lm.embed_tokens.weight");
        byte[] raw = RawStorage(path, "pytorch_model/data/0");
        Assert.Equal(raw.Length / 2, embed.Data.Length);
        for (int i = 0; i < embed.Data.Length; i++)
        {
            uint expected = (uint)BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * i)) << 16;
            Assert.Equal(expected, BitConverter.SingleToUInt32Bits(embed.Data[i]));
        }
    }

    [Fact]
    public void Widens_fp16_and_fp64_storages_and_reads_views_at_storage_offsets()
    {
        Half[] halves = [(Half)0.5f, (Half)(-2f), (Half)1.25f, (Half)3f];
        double[] doubles = [1.5, -0.25, 7, 8, 9, 10];
        var p = new PickleWriter().Proto().OrderedDict().Mark()
            .String("half").Tensor("HalfStorage", "0", 4, 0, [2, 2])
            .String("tail").Tensor("DoubleStorage", "1", 6, 2, [2, 2])
            .String("head").Tensor("DoubleStorage", "1", 6, 0, [2])
            .SetItems().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]>
        {
            ["0"] = MemoryMarshal.AsBytes(halves.AsSpan()).ToArray(),
            ["1"] = MemoryMarshal.AsBytes(doubles.AsSpan()).ToArray(),
        });

        using var reader = PyTorchCheckpointReader.Open(path);
        Assert.Equal([0.5f, -2f, 1.25f, 3f], reader.ReadFloat32("half").Data);
        Assert.Equal([7f, 8f, 9f, 10f], reader.ReadFloat32("tail").Data);
        Assert.Equal([1.5f, -0.25f], reader.ReadFloat32("head").Data);
    }

    [Fact]
    public void Accepts_torch2_idioms_byteorder_entry_metadata_build_and_rebuild_parameter()
    {
        // torch.save(model.state_dict()) under torch 2.x: an OrderedDict whose _metadata attribute arrives via BUILD,
        // a 'byteorder' entry, and (for parameters saved directly) _rebuild_parameter around the tensor.
        var p = new PickleWriter().Proto().OrderedDict().Mark()
            .String("w").Global("torch._utils", "_rebuild_parameter").Mark()
            .Tensor("FloatStorage", "0", 2, 0, [2]).Op(0x88).OrderedDict().Tuple().Reduce()
            .SetItems()
            .EmptyDict().String("_metadata").OrderedDict().Mark().String("").EmptyDict().String("version").Int(1).SetItem().SetItems().SetItem()
            .Build().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = MemoryMarshal.AsBytes(new float[] { 3, 4 }.AsSpan()).ToArray() }, root: "my_model");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var s = zip.CreateEntry("my_model/byteorder").Open();
            s.Write("little"u8);
        }

        using var reader = PyTorchCheckpointReader.Open(path);
        Assert.Equal([3f, 4f], reader.ReadFloat32("w").Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Accepts_plain_and_state_dict_wrapped_archives(bool wrapped)
    {
        string path = _archives.WriteFloat32StateDict(new Dictionary<string, (long[], float[])> { ["a.weight"] = ([1, 3], [1, 2, 3]) }, wrapped);
        using var reader = PyTorchCheckpointReader.Open(path);
        Assert.Equal(["a.weight"], reader.Tensors.Keys);
        Assert.Equal([1f, 2f, 3f], reader.ReadFloat32("a.weight").Data);
    }

    internal static byte[] RawStorage(string path, string entryName)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(entryName)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
