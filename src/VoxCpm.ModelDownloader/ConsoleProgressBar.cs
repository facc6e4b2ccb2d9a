using System.Globalization;
using System.Text;

namespace VoxCpm.ModelDownloader;

/// <summary>
/// Renders <see cref="ModelDownloadProgress"/> as one console line redrawn in place, at most four times a second.
/// When output is redirected (logs, docker) it writes plain lines instead: one per finished file and at most one
/// every few seconds in between, so log files do not fill with carriage returns.
/// </summary>
public sealed class ConsoleProgressBar : IProgress<ModelDownloadProgress>
{
    private const int BarWidth = 24;
    private static readonly TimeSpan InteractiveInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long? _lastDraw;
    private int _lastLength;
    private int _lastFinishedIndex = -1;

    /// <summary>Writes to the console, in place when it is a terminal.</summary>
    public ConsoleProgressBar()
        : this(Console.Out, interactive: !Console.IsOutputRedirected)
    {
    }

    /// <summary>Writes to <paramref name="writer"/>; <paramref name="interactive"/> selects in-place redraws.</summary>
    public ConsoleProgressBar(TextWriter writer, bool interactive, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _interactive = interactive;
        _time = time ?? TimeProvider.System;
    }

    public void Report(ModelDownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var fileFinished = value.FileBytesTotal is { } total && value.FileBytesDone >= total && value.FileIndex > _lastFinishedIndex;
            if (fileFinished)
            {
                _lastFinishedIndex = value.FileIndex;
            }

            var interval = _interactive ? InteractiveInterval : PlainInterval;
            var due = _lastDraw is not { } last || _time.GetElapsedTime(last, now) >= interval;
            if (!due && !value.Completed && !(fileFinished && !_interactive))
            {
                return;
            }

            _lastDraw = now;
            var line = Format(value);
            if (_interactive)
            {
                _writer.Write('\r' + line.PadRight(_lastLength));
                _lastLength = line.Length;
                if (value.Completed)
                {
                    _writer.WriteLine();
                    _lastLength = 0;
                }
            }
            else
            {
                _writer.WriteLine(line);
            }

            _writer.Flush();
        }
    }

    internal static string Format(ModelDownloadProgress value)
    {
        var text = new StringBuilder();
        text.Append(value.Completed ? "Downloaded " : "Downloading ").Append(value.RepoId).Append(' ');
        if (value.OverallFraction is { } fraction)
        {
            var filled = (int)Math.Round(fraction * BarWidth);
            text.Append('[').Append('#', filled).Append('.', BarWidth - filled).Append("] ")
                .Append(CultureInfo.InvariantCulture, $"{fraction * 100,3:0}% ")
                .Append(Bytes(value.OverallBytesDone)).Append('/').Append(Bytes(value.OverallBytesTotal!.Value));
        }
        else
        {
            text.Append(Bytes(value.OverallBytesDone));
        }

        return text.Append(CultureInfo.InvariantCulture, $"  {value.File} ({value.FileIndex + 1}/{value.FileCount})").ToString();
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
