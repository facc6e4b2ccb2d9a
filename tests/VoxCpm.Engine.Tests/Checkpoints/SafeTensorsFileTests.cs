using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class SafeTensorsFileTests
{
    [Fact]
    public void Reads_the_tensors_of_a_fixture_case()
    {
        using var c = FixtureCase.Open(TinyFixtures.Case("v05", "lm_prefill"));
        var ids = c.Int64("ids");
        Assert.Equal([8], ids.Shape);
        Assert.Equal(101, ids.Data[^1]);
        Assert.Equal([1, 8, 64], c.Float("base_lm_out").Shape);
    }

    [Fact]
    public void Refuses_a_header_length_beyond_the_end_of_the_file()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFF, 0xFF, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);
            var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Open(path));
            Assert.Contains("header length", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Refuses_data_offsets_outside_the_file()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] header = System.Text.Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
            File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, 0, 0, 0, 0]);
            var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Open(path));
            Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
