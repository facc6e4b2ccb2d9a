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
            Scheduler = new SchedulerOptions { MaxConcurrent = maxConcurrent, QueueLimit = queueLimit },
        };
        if (options.Get("model") is { } model)
        {
            return (VoxCpmEngine.Load(model, engineOptions), $"model {model}");
        }

        if (options.Get("random-weights") is { } config)
        {
            string tokenizer = options.Get("tokenizer") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config))!, "tokenizer.json");
            return (VoxCpmEngine.CreateWithRandomWeights(config, tokenizer, engineOptions, seed: 7), $"random weights of {Path.GetFileName(config)}");
        }

        throw new ArgumentException("give --model DIR or --random-weights CONFIG.json");
    }
}
