using VoxCpm.Engine.Onnx;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Configuration;

public class ModelWarmUpTests
{
    [Theory]
    [InlineData(ExecutionDevice.Cpu, 64, new[] { 1 })]
    [InlineData(ExecutionDevice.Cuda, 1, new[] { 1 })]
    [InlineData(ExecutionDevice.Cuda, 10, new[] { 1, 2, 4, 8, 10 })]
    [InlineData(ExecutionDevice.Cuda, 64, new[] { 1, 2, 4, 8, 16, 32, 64 })]
    public void Cuda_warms_every_batch_bucket_up_to_the_concurrency_limit(ExecutionDevice device, int maxConcurrent, int[] expected) =>
        Assert.Equal(expected, ModelWarmUp.BatchSizes(device, maxConcurrent));
}
