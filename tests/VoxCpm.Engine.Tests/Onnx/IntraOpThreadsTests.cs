using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Onnx;

public sealed class IntraOpThreadsTests
{
    private static readonly OnnxRuntimeOptions s_auto = new() { Device = ExecutionDevice.Cpu };

    [Fact]
    public void An_explicit_thread_count_applies_to_every_module()
    {
        var options = s_auto with { IntraOpThreads = 3 };

        Assert.Equal(3, IntraOpThreads.For(options, weightBytes: 0));
        Assert.Equal(3, IntraOpThreads.For(options, weightBytes: 1L << 30));
    }

    [Fact]
    public void A_small_module_runs_on_one_thread_and_a_large_one_on_every_core()
    {
        Assert.Equal(1, IntraOpThreads.For(s_auto, IntraOpThreads.ParallelWeightBytes - 1));
        Assert.Equal(IntraOpThreads.CountCores(), IntraOpThreads.For(s_auto, IntraOpThreads.ParallelWeightBytes));
    }

    [Fact]
    public void On_cuda_the_runtime_keeps_its_default()
    {
        Assert.Equal(0, IntraOpThreads.For(s_auto with { Device = ExecutionDevice.Cuda }, 1L << 30));
    }

    [Theory]
    [InlineData("0-1", 2)]
    [InlineData("0,4", 2)]
    [InlineData("3\n", 1)]
    [InlineData("0-3,8-11", 8)]
    public void Hyperthread_siblings_are_counted_from_the_kernels_cpu_list(string list, int expected)
    {
        Assert.Equal(expected, IntraOpThreads.CountCpuList(list));
    }

    [Fact]
    public void Cores_are_at_least_one_and_at_most_the_processors_the_process_may_use()
    {
        Assert.InRange(IntraOpThreads.CountCores(), 1, Environment.ProcessorCount);
    }
}
