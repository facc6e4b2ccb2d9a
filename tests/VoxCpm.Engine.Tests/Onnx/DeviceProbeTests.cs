using Microsoft.Extensions.Logging.Abstractions;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Onnx;

public class DeviceProbeTests
{
    [Fact]
    public void Cuda_either_loads_or_fails_naming_the_missing_library()
    {
        try
        {
            Assert.Equal(ExecutionDevice.Cuda, DeviceProbe.Resolve(ExecutionDevice.Cuda, NullLogger.Instance));
        }
        catch (InvalidOperationException e)
        {
            Assert.Matches(@"lib[\w.+-]+\.so", e.Message);
            Assert.Contains("EngineOptions.Device=Auto", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Auto_never_fails_and_cpu_is_always_cpu()
    {
        Assert.Contains(DeviceProbe.Resolve(ExecutionDevice.Auto, NullLogger.Instance), new[] { ExecutionDevice.Cpu, ExecutionDevice.Cuda });
        Assert.Equal(ExecutionDevice.Cpu, DeviceProbe.Resolve(ExecutionDevice.Cpu, NullLogger.Instance));
    }
}
