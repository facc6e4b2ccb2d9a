using System.Diagnostics;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// Runs the real VoxCpm.Hub executable (Program.cs as shipped) in a child process, for what only a process shows:
/// the exit code, what reaches stderr, and .env files in the working directory.
/// </summary>
internal static class HubProcess
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = StartInfo(workingDirectory, environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output.DefaultTimeout(), await error.DefaultTimeout());
    }

    /// <summary>
    /// <c>dotnet VoxCpm.Hub.dll</c> with redirected output and exactly the given settings: the child sees none of the
    /// machine's own TTS_* values.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VoxCpm.Hub.dll"));
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("TTS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
