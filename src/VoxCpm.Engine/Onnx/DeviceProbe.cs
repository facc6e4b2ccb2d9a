using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>Decides where graphs run: CUDA when asked for and usable, otherwise the CPU provider.</summary>
internal static partial class DeviceProbe
{
    public static ExecutionDevice Resolve(ExecutionDevice requested, ILogger logger)
    {
        if (requested != ExecutionDevice.Cuda)
        {
            return ExecutionDevice.Cpu;
        }

        try
        {
            // Appending the provider loads libonnxruntime_providers_cuda and the CUDA runtime; it fails without a GPU.
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return ExecutionDevice.Cuda;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            LogCudaUnavailable(logger, e.Message);
            return ExecutionDevice.Cpu;
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "CUDA was requested but is not usable here ({Reason}); running on the CPU provider")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);
}
