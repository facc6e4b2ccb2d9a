using System.Diagnostics;

namespace VoxCpm.Audio.Codecs.Ffmpeg;

/// <summary>
/// Where the <c>ffmpeg</c> program is, if anywhere: the formats without a managed codec (FLAC, AAC/M4A, WebM in;
/// MP3, AAC, FLAC out) go through it. Found on <c>PATH</c> once; a server without it still reads and writes
/// WAV, MP3 (in), Ogg Vorbis, Ogg Opus and PCM, and names the missing package for the rest.
/// </summary>
public sealed class FfmpegTool
{
    /// <summary>What to tell a person who needs FFmpeg and has not got it.</summary>
    public const string InstallHint = "install FFmpeg on the server (Debian/Ubuntu package 'ffmpeg'; the Docker image has it)";

    public FfmpegTool(string? path) => Path = path;

    /// <summary>The executable, or null when FFmpeg is not installed.</summary>
    public string? Path { get; }

    public bool IsAvailable => Path is not null;

    /// <summary>The <c>ffmpeg</c> found on <c>PATH</c> (or none).</summary>
    public static FfmpegTool FromPath()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in directories)
        {
            var candidate = System.IO.Path.Combine(directory, "ffmpeg");
            if (File.Exists(candidate))
            {
                return new FfmpegTool(candidate);
            }
        }

        return new FfmpegTool(null);
    }

    internal Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path ?? throw new InvalidOperationException("FFmpeg is not installed"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("FFmpeg did not start");
    }
}
