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
}
