using System.IO.Compression;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>A checkpoint is untrusted input: hostile files are refused by name, and nothing in them runs.</summary>
public sealed class HostileCheckpointTests : IDisposable
{
    private readonly TorchArchive _archives = new();

    public void Dispose() => _archives.Dispose();

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    public void Refuses_a_global_outside_the_whitelist_before_anything_can_call_it(string module, string name)
    {
        string marker = Path.Combine(Path.GetTempPath(), $"voxcpm-pwned-{Guid.NewGuid():N}");
        var p = new PickleWriter().Proto().Global(module, name).String($"touch {marker}").Tuple1().Reduce().Stop();

        var e = Refused(_archives.Write(p.ToArray()));

        Assert.Contains($"GLOBAL '{module} {name}' is not allowed", e.Message, StringComparison.Ordinal);
        Assert.Contains("data.pkl at byte 2", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Refuses_a_hostile_global_hidden_inside_a_valid_state_dict()
    {
        var p = new PickleWriter().Proto().OrderedDict().Mark()
            .String("w").Global("builtins", "eval").String("__import__('os').system('id')").Tuple1().Reduce()
            .SetItems().Stop();
        Assert.Contains("'builtins eval'", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x81, "0x81")] // NEWOBJ
    [InlineData((byte)'i', "0x69")] // INST
    [InlineData((byte)'o', "0x6f")] // OBJ
    [InlineData((byte)'P', "0x50")] // PERSID (text)
    [InlineData(0x82, "0x82")] // EXT1
    [InlineData(0xff, "0xff")]
    public void Refuses_unknown_or_object_building_opcodes(byte opcode, string shown)
    {
        var p = new PickleWriter().Proto().EmptyTuple().Op(opcode).Stop();
        Assert.Contains($"opcode {shown}", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_calling_a_whitelisted_name_in_a_way_a_state_dict_never_does()
    {
        var p = new PickleWriter().Proto().Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop();
        Assert.Contains("REDUCE of torch.FloatStorage", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_persistent_id_that_is_not_a_storage_record()
    {
        var p = new PickleWriter().Proto().Mark().String("module").String("x").Tuple().BinPersId().Stop();
        Assert.Contains("persistent id", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_pickle_without_stop()
    {
        var p = new PickleWriter().Proto().EmptyDict();
        Assert.Contains("without a STOP", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_truncated_archive()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(TinyFixtures.Checkpoint("v05"), "pytorch_model.bin"));
        string path = _archives.WriteBytes(whole[..(whole.Length / 2)]);
        Assert.Contains("not a readable torch.save zip archive", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_storage_shorter_than_its_record_declares()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "0", 4, 0, [4]).SetItem().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[12] });
        Assert.Contains("storage '0' declares 4 Float32 elements (16 bytes) but its entry holds 12 bytes", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_view_past_the_end_of_its_storage()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "0", 4, 2, [3]).SetItem().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[16] });
        Assert.Contains("tensor 'w' (3 elements at offset 2) runs past the end of storage '0' (4 elements)", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_storage_entry_missing_from_the_archive()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "7", 4, 0, [4]).SetItem().Stop();
        Assert.Contains("storage '7', which is not in the archive", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_huge_declared_sizes_without_allocating_for_them()
    {
        var p = new PickleWriter().Proto().EmptyDict()
            .String("w").Tensor("FloatStorage", "0", 1L << 60, 0, [1L << 30, 1L << 30]).SetItem().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[16] });

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Refused(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("declares 1152921504606846976 Float32 elements", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"opening allocated {allocated} bytes");
    }

    [Fact]
    public void Refuses_a_tensor_larger_than_any_buffer_even_over_a_matching_storage_claim()
    {
        var p = new PickleWriter().Proto().EmptyDict()
            .String("w").Tensor("FloatStorage", "0", 4, 0, [int.MaxValue, int.MaxValue]).SetItem().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[16] });
        Assert.Contains("elements, more than one buffer can hold", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_non_contiguous_strides()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "0", 6, 0, [2, 3], [1, 2]).SetItem().Stop();
        string path = _archives.Write(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[24] });
        Assert.Contains("tensor 'w' of shape [2, 3] has non-contiguous strides (1, 2)", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_zip_entries_that_climb_out_of_the_archive()
    {
        var p = new PickleWriter().Proto().EmptyDict().Stop();
        string path = _archives.Write(p.ToArray(), pickleEntry: "../evil/data.pkl");
        Assert.Contains("zip entry '../evil/data.pkl' is not a plain relative path", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_storage_key_that_is_a_path()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "../../etc/passwd", 4, 0, [4]).SetItem().Stop();
        Assert.Contains("storage key string '../../etc/passwd' is not a plain name", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_compressed_storages_whose_length_the_file_cannot_back()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").Tensor("FloatStorage", "0", 4096, 0, [4096]).SetItem().Stop();
        string path = _archives.Write(p.ToArray());
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var s = zip.CreateEntry("archive/data/0", CompressionLevel.Optimal).Open();
            s.Write(new byte[4096 * 4]);
        }

        Assert.Contains("storage '0' is compressed", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_state_dict_entry_that_is_not_a_tensor()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w").String("not a tensor").SetItem().Stop();
        Assert.Contains("state dict entry 'w' is not a tensor", Refused(_archives.Write(p.ToArray())).Message, StringComparison.Ordinal);
    }

    private static CheckpointFormatException Refused(string path)
    {
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path).Dispose());
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(Path.GetFileName(path), e.Message, StringComparison.Ordinal);
        return e;
    }
}
