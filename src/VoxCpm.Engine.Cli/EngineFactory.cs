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
            Device = options.Get("device") switch { "cuda" => ExecutionDevice.Cuda, "auto" => ExecutionDevice.Auto, _ => ExecutionDevice.Cpu },
            IntraOpThreads = options.Int("threads", 0),
            WeightQuantization = Quantization(options),
            Scheduler = new SchedulerOptions { MaxConcurrent = maxConcurrent, QueueLimit = queueLimit },
        };
        string weights = engineOptions.WeightQuantization == WeightQuantization.None ? "" : $", {engineOptions.WeightQuantization} stack projections";
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

    /// <summary><c>--quantize none|int8|int4</c> (default none).</summary>
    public static WeightQuantization Quantization(Options options) => options.Get("quantize") switch
    {
        null or "none" => WeightQuantization.None,
        "int8" => WeightQuantization.Int8,
        "int4" => WeightQuantization.Int4,
        var other => throw new ArgumentException($"--quantize must be none, int8 or int4 (got '{other}')"),
    };
}
