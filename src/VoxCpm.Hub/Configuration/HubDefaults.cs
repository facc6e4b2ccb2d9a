using VoxCpm.Engine.Onnx;

namespace VoxCpm.Hub.Configuration;

/// <summary>
/// Every default of every setting, in one place. The names and meanings follow the seed server's environment
/// table (README.md, docs/configuration.md); <c>.env.example</c> repeats these values and must be kept in step.
/// </summary>
internal static class HubDefaults
{
    public const string Host = "0.0.0.0";
    public const int Port = 9300;
    public const int WebPort = 9301;
    public const string ModelName = "openbmb/VoxCPM-0.5B";
    public const ComputeDevice Device = ComputeDevice.Cuda;
    public const ComputePrecision Precision = ComputePrecision.Auto;

    public const bool CudaGraphs = true;
    public const WeightQuantization Quantization = WeightQuantization.None;
    public const int MaxConcurrent = 10;
    public const int QueueLimit = 100;
    public const int MaxBatch = 0;
    public const bool RealTimeAdmission = false;
    public const int MaxTextLength = 2000;
    public const string LogLevel = "INFO";
    public const bool MetricsEnabled = false;
    public const string LogFormat = "simple";
    public const int ShutdownTimeoutSeconds = 30;
    public const int RateLimitPerMinute = 0;

    // Upper bounds: far above anything useful, low enough to catch a typo (an extra zero) at start-up.
    public const int MaxConcurrentLimit = 1024;
    public const int QueueLimitMax = 100_000;
    public const int MaxTextLengthLimit = 100_000;
    public const int ShutdownTimeoutSecondsLimit = 3600;
    public const int RateLimitPerMinuteMax = 1_000_000;
}
