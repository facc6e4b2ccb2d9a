using System.Diagnostics;
using System.Text;

namespace VoxCpm.Audio.Codecs.Ffmpeg;

/// <summary>
/// One running <c>ffmpeg</c>: its error output is kept (the last 2 KiB, for the message) while it runs, and
/// <see cref="Dispose"/> kills it if it is still there, so no caller leaves a process behind on any path.
/// </summary>
internal sealed class FfmpegProcess : IDisposable
{
    private const int ErrorTail = 2048;
    private readonly StringBuilder _errors = new();
    private readonly Task _errorPump;

    public FfmpegProcess(FfmpegTool tool, IEnumerable<string> arguments)
    {
        Process = tool.Start(arguments);
        _errorPump = PumpErrorsAsync();
    }

    public Process Process { get; }

    public Stream Input => Process.StandardInput.BaseStream;

    public Stream Output => Process.StandardOutput.BaseStream;

    /// <summary>Waits for the exit (the error output read to its end); a non-zero code is returned with the last error line.</summary>
    public async Task<(int ExitCode, string Error)> WaitAsync(CancellationToken cancellationToken)
    {
        await Process.WaitForExitAsync(cancellationToken);
        await _errorPump.WaitAsync(cancellationToken);
        string error;
        lock (_errors)
        {
            error = _errors.ToString().Trim();
        }

        var lastLine = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return (Process.ExitCode, lastLine);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // it exited between the check and the kill
        }

        Process.Dispose();
    }

    private async Task PumpErrorsAsync()
    {
        var buffer = new char[1024];
        var reader = Process.StandardError;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_errors)
            {
                _errors.Append(buffer, 0, read);
                if (_errors.Length > ErrorTail)
                {
                    _errors.Remove(0, _errors.Length - ErrorTail);
                }
            }
        }
    }
}
