using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Configuration;

public class ModelWarmUpTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(10, new[] { 1, 2, 4, 8, 10 })]
    [InlineData(64, new[] { 1, 2, 4, 8, 16, 32, 64 })]
    public void Every_batch_bucket_up_to_the_concurrency_limit_is_warmed(int maxConcurrent, int[] expected) =>
        Assert.Equal(expected, ModelWarmUp.BatchSizes(maxConcurrent));
}
