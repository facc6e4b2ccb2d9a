namespace VoxCpm.Engine.Cli;

/// <summary>The <c>voxcpm-engine</c> command: parity against reference fixtures, benchmarks and profiling.</summary>
internal static class CommandLine
{
    private const string Usage = """
        usage:
          voxcpm-engine parity FIXTURE_DIR [--threads N] [--quantize none|int8|int4] [--device cpu|cuda|auto]
                               [--precision fp32|fp16|auto]
              Runs every case of a fixture directory (the layout of shared/fixtures/voxcpm-tiny) and prints one line
              per case with its max abs error; exits 1 when any case exceeds the tolerance (1e-4). With --quantize
              or --precision fp16 the errors show what that costs (they are not expected to meet the tolerance).
              Parity defaults to cpu and fp32.
          voxcpm-engine bench (--model DIR | --random-weights CONFIG.json [--tokenizer tokenizer.json])
                              [--threads N] [--device cpu|cuda|auto] [--quantize none|int8|int4] [--text TEXT]
                              [--precision auto|fp32|fp16] [--cuda-graphs on|off]
                              [--steps N] [--runs N] [--first-chunk PATCHES] [--chunk PATCHES]
              Single-request speed: load time, time to first audio, real-time factor, steps/s, peak memory.
              --quantize stores the transformer stacks' projections as 8/4-bit blocks (MatMulNBits; not bit-exact).
              --precision: what the transformer graphs compute in; auto (default) is fp16 on CUDA, fp32 on the CPU.
              --cuda-graphs: replay the CFM solver's Euler steps from captured CUDA graphs (CUDA only; default on).
          voxcpm-engine bench-scheduler (--model DIR | --random-weights CONFIG.json) [--concurrency 1,4,16,64] [--warm-levels on|off]
                                        [--repeat N] [--steps N] [--max-batch N] ...
              Aggregate throughput of the batching scheduler at several concurrency levels. Each level runs once
              unmeasured first (a warmed server's figures); --warm-levels off warms only before the first level.
              --repeat N measures each level N times and prints the median run (by throughput) and the range.
              --max-batch N caps the rows of a step (TTS_MAX_BATCH): more streams than that take turns.
          voxcpm-engine profile (--model DIR | --random-weights CONFIG.json) [--batch N] [--quantize ...] [--precision ...]
              Time of each module of one decode step.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options.Parse(args.AsSpan(1));
            return args[0] switch
            {
                "parity" => await ParityCommand.RunAsync(options),
                "bench" => await BenchCommand.RunAsync(options),
                "bench-scheduler" => await SchedulerBenchCommand.RunAsync(options),
                "profile" => await ProfileCommand.RunAsync(options),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"voxcpm-engine: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
