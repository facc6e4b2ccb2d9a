using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Decides where graphs run. <see cref="ExecutionDevice.Cuda"/> insists on the GPU and fails with ONNX Runtime's own
/// message (which names the CUDA library it could not load); <see cref="ExecutionDevice.Auto"/> falls back to the
/// CPU provider with a warning.
/// </summary>
internal static partial class DeviceProbe
{
    /// <summary>How messages name the requested device (a host maps it to its own setting where it reports them).</summary>
    public const string DeviceOption = nameof(EngineOptions) + "." + nameof(EngineOptions.Device);

    public static ExecutionDevice Resolve(ExecutionDevice requested, ILogger logger)
    {
        if (requested == ExecutionDevice.Cpu)
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
            if (requested == ExecutionDevice.Cuda)
            {
                throw new InvalidOperationException($"{DeviceOption}={ExecutionDevice.Cuda} but the CUDA execution provider cannot be used: {DescribeFailure(e)} (install the CUDA runtime, cuBLAS and cuDNN that ONNX Runtime names, or set {DeviceOption}={ExecutionDevice.Auto} to fall back to the CPU, or {DeviceOption}={ExecutionDevice.Cpu}).", e);
            }

            LogCudaUnavailable(logger, DescribeFailure(e));
            return ExecutionDevice.Cpu;
        }
    }

    /// <summary>
    /// ONNX Runtime's exception only says "failed to load"; dlopen-ing the provider library ourselves gets the
    /// loader's reason, which names the missing dependency (e.g. <c>libcublasLt.so.13</c>).
    /// </summary>
    private static string DescribeFailure(Exception e)
    {
        foreach (string directory in new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), AppContext.BaseDirectory })
        {
            string provider = Path.Combine(directory, "libonnxruntime_providers_cuda.so");
            if (File.Exists(provider) && OperatingSystem.IsLinux())
            {
                _ = NativeMethods.dlerror(); // binds dlerror now: its lazy binding would clear the error we want to read
                nint handle = NativeMethods.dlopen(provider, NativeMethods.RtldLazy);
                if (handle == 0)
                {
                    return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeMethods.dlerror()) ?? e.Message;
                }

                _ = NativeMethods.dlclose(handle);
            }
        }

        return e.Message;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "EngineOptions.Device=Auto: CUDA is not usable here ({Reason}); running on the CPU provider")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);
}

#pragma warning disable SA1300, IDE1006 // the C library's own names
internal static partial class NativeMethods
{
    public const int RtldLazy = 1;

    [System.Runtime.InteropServices.LibraryImport("libc.so.6", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    internal static partial nint dlopen(string file, int mode);

    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    internal static partial nint dlerror();

    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    internal static partial int dlclose(nint handle);
}
#pragma warning restore SA1300, IDE1006
