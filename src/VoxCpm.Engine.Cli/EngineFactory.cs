using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Cli;

/// <summary>Builds an engine from <c>--model DIR</c> or <c>--random-weights CONFIG.json</c>.</summary>
internal static class EngineFactory
{
    public static (VoxCpmEngine Engine, string Description) Create(Options options, int maxConcurrent = 1, int queueLimit = 0)
    {
        var engineOptions = new EngineOptions
        {
            Device = Device(options),
            IntraOpThreads = options.Int("threads", 0),
            WeightQuantization = Quantization(options),
            Precision = Precision(options, ComputePrecision.Auto),
            CudaGraphs = options.Get("cuda-graphs") is not "off",
            Scheduler = new SchedulerOptions { MaxConcurrent = maxConcurrent, QueueLimit = queueLimit, MaxBatchSize = options.Int("max-batch", 0) },
        };
        string weights = (engineOptions.WeightQuantization == WeightQuantization.None ? "" : $", {engineOptions.WeightQuantization} stack projections")
            + (engineOptions.Precision == ComputePrecision.Auto ? "" : $", {engineOptions.Precision} requested");
        if (options.Get("model") is { } model)
        {
            return (VoxCpmEngine.Load(model, engineOptions), $"model {model}{weights}");
        }

        if (options.Get("random-weights") is { } config)
        {
            string tokenizer = options.Get("tokenizer") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config))!, "tokenizer.json");
            return (VoxCpmEngine.CreateWithRandomWeights(config, tokenizer, engineOptions, seed: 7), $"random weights of {Path.GetFileName(config)}{weights}");
        }

        throw new ArgumentException("give --model DIR or --random-weights CONFIG.json");
    }

    /// <summary><c>--device cpu|cuda|auto</c> (default cpu).</summary>
    public static ExecutionDevice Device(Options options) => options.Get("device") switch
    {
        null or "cpu" => ExecutionDevice.Cpu,
        "cuda" => ExecutionDevice.Cuda,
        "auto" => ExecutionDevice.Auto,
        var other => throw new ArgumentException($"--device must be cpu, cuda or auto (got '{other}')"),
    };

    /// <summary><c>--precision auto|fp32|fp16</c>; auto is fp16 on CUDA and fp32 on the CPU.</summary>
    public static ComputePrecision Precision(Options options, ComputePrecision fallback) => options.Get("precision") switch
    {
        null => fallback,
        "auto" => ComputePrecision.Auto,
        "fp32" => ComputePrecision.Float32,
        "fp16" => ComputePrecision.Float16,
        var other => throw new ArgumentException($"--precision must be auto, fp32 or fp16 (got '{other}')"),
    };

    /// <summary><c>--quantize none|int8|int4</c> (default none).</summary>
    public static WeightQuantization Quantization(Options options) => options.Get("quantize") switch
    {
        null or "none" => WeightQuantization.None,
        "int8" => WeightQuantization.Int8,
        "int4" => WeightQuantization.Int4,
        var other => throw new ArgumentException($"--quantize must be none, int8 or int4 (got '{other}')"),
    };
}
