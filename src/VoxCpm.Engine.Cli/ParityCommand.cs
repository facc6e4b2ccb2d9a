using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;

namespace VoxCpm.Engine.Cli;

internal static class ParityCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        string root = options.Positional0("FIXTURE_DIR");
        if (!Directory.Exists(root))
        {
            throw new ArgumentException($"fixture directory '{root}' does not exist");
        }

        int total = 0;
        int failed = 0;
        var device = EngineFactory.Device(options);
        var precision = EngineFactory.Precision(options, ComputePrecision.Float32);
        Console.WriteLine($"device {device}, precision {precision}");
        var engine = new EngineOptions { Device = device, IntraOpThreads = options.Int("threads", 1), WeightQuantization = EngineFactory.Quantization(options), Precision = precision };
        await foreach (var result in ParityRunner.RunAsync(root, engine))
        {
            total++;
            failed += result.Passed ? 0 : 1;
            Console.WriteLine(result.Describe());
        }

        Console.WriteLine(total == 0 ? "no cases found" : $"{total - failed}/{total} cases within tolerance {ParityRunner.Tolerance:0e+0}");
        return total > 0 && failed == 0 ? 0 : 1;
    }
}
