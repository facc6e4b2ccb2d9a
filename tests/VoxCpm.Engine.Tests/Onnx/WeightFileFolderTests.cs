using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Onnx;

public class WeightFileFolderTests
{
    [Fact]
    public void A_weight_file_goes_to_memory_when_the_machine_has_room_for_it()
    {
        bool memoryHasRoom = Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace > (1L << 30);

        string folder = WeightFileFolder.For(1 << 20);

        Assert.Equal(Path.Combine(memoryHasRoom ? "/dev/shm" : Path.GetTempPath(), "voxcpm-onnx"), folder);
        Assert.True(File.Exists(Path.Combine(folder, GraphBuilder.WeightPlaceholderFile)));
    }

    [Fact]
    public void A_weight_file_larger_than_the_memory_file_system_goes_to_the_temp_folder()
    {
        string folder = WeightFileFolder.For(1L << 50);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "voxcpm-onnx"), folder);
        Assert.True(File.Exists(Path.Combine(folder, GraphBuilder.WeightPlaceholderFile)));
    }

    [Fact]
    public void Weight_files_left_behind_more_than_an_hour_ago_are_deleted()
    {
        var folder = Directory.CreateTempSubdirectory("voxcpm-weight-folder-test");
        try
        {
            var now = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
            string stale = Path.Combine(folder.FullName, "base_lm-stale.weights");
            string loading = Path.Combine(folder.FullName, "base_lm-loading.weights");
            string placeholder = Path.Combine(folder.FullName, GraphBuilder.WeightPlaceholderFile);
            foreach (var (path, age) in new[] { (stale, TimeSpan.FromMinutes(61)), (loading, TimeSpan.FromMinutes(59)), (placeholder, TimeSpan.FromDays(3)) })
            {
                File.WriteAllBytes(path, [1, 2, 3]);
                File.SetLastWriteTimeUtc(path, now - age);
            }

            WeightFileFolder.RemoveStaleFiles(folder.FullName, now);

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(loading));
            Assert.True(File.Exists(placeholder));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
