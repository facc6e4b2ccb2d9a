namespace VoxCpm.Engine.Cli;

internal static class BenchCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        _ = options;
        await Console.Error.WriteLineAsync("not implemented yet");
        return 2;
    }
}
