using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Onnx;

public sealed class DeviceMemoryTests : IDisposable
{
    private readonly DeviceMemory _memory = new(new OnnxRuntimeOptions { IntraOpThreads = 1 });

    [Fact]
    public void One_run_copies_float32_and_float16_tensors_of_any_rank()
    {
        float[] rows = [1f, 2f, 3f, 4f, 5f, 6f];
        var halves = new[] { 0.5f, -1.25f, 8f }.Select(v => (Microsoft.ML.OnnxRuntime.Float16)v).ToArray();
        var rowsCopy = new float[6];
        var halvesCopy = new Microsoft.ML.OnnxRuntime.Float16[3];
        using var rowsValue = OrtValue.CreateTensorValueFromMemory(rows, [2, 3]);
        using var halvesValue = OrtValue.CreateTensorValueFromMemory(halves, [3]);
        using var rowsTarget = OrtValue.CreateTensorValueFromMemory(rowsCopy, [2, 3]);
        using var halvesTarget = OrtValue.CreateTensorValueFromMemory(halvesCopy, [3]);

        _memory.Copy((rowsValue, rowsTarget), (halvesValue, halvesTarget));

        Assert.Equal(rows, rowsCopy);
        Assert.Equal(halves, halvesCopy);
    }

    [Fact]
    public void A_view_of_rows_reads_and_writes_the_buffers_own_memory()
    {
        using var buffer = _memory.Allocate(4, 3);
        buffer.GetTensorMutableDataAsSpan<float>().Clear();
        float[] row = [7f, 8f, 9f];
        using (var view = DeviceMemory.View(buffer, 2, 1, 3, 1, 3))
        using (var source = OrtValue.CreateTensorValueFromMemory(row, [1, 3]))
        {
            _memory.Copy((source, view));
        }

        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 7f, 8f, 9f, 0f, 0f, 0f], buffer.GetTensorDataAsSpan<float>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceMemory.View(buffer, 3, 2, 3, 2, 3));
    }

    public void Dispose() => _memory.Dispose();
}
