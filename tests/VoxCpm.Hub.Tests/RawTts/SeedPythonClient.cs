using System.Diagnostics;
using System.Text.Json.Nodes;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>
/// Runs tests/seed-clients/python_client.py (the seed README's Python example) with Debian's python3 and its
/// python3-websockets package (scripts/setup-python-client.sh installs both). A missing interpreter or package fails
/// the test with that instruction; it never skips.
/// </summary>
internal static class SeedPythonClient
{
    /// <summary>Debian's interpreter, not whatever python3 is first on PATH (a pyenv one cannot see Debian's packages).</summary>
    public static string Interpreter => Environment.GetEnvironmentVariable("VOXCPM_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "seed-clients", "python_client.py");

    public static async Task<Run> RunAsync(Uri ttsUrl, string wavPath, string text, TimeSpan timeout)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} not found: run scripts/setup-python-client.sh (apt-get install python3-websockets)");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(ttsUrl.AbsoluteUri);
        start.ArgumentList.Add(wavPath);
        start.ArgumentList.Add(text);
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Python client did not finish within {timeout}; stderr so far: {(error.IsCompleted ? await error : "")}");
        }

        string standardError = await error.DefaultTimeout();
        Assert.False(
            standardError.Contains("No module named 'websockets'", StringComparison.Ordinal),
            $"{Interpreter} has no websockets package: run scripts/setup-python-client.sh (apt-get install python3-websockets)");
        return new Run(process.ExitCode, await output.DefaultTimeout(), standardError);
    }

    internal sealed record Run(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>The script's one-line JSON summary: bytes, sample_rate, frames[{type, metadata, payload_length, received}].</summary>
        public JsonObject Summary => JsonNode.Parse(StandardOutput.Trim().Split('\n')[^1])!.AsObject();
    }
}
