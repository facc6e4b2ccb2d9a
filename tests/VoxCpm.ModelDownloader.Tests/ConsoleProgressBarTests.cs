namespace VoxCpm.ModelDownloader.Tests;

public sealed class ConsoleProgressBarTests
{
    [Fact]
    public void Interactive_output_redraws_one_line_at_most_four_times_a_second()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: true, clock);

        bar.Report(Progress(done: 100));
        bar.Report(Progress(done: 200));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        bar.Report(Progress(done: 300));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        bar.Report(Progress(done: 400));
        bar.Report(Progress(done: 1000, completed: true));

        var text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("[########################] 100%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_output_writes_plain_lines_per_finished_file()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: false, clock);

        bar.Report(Progress(done: 10));
        bar.Report(Progress(done: 20));
        bar.Report(Progress(done: 500, fileDone: 500));
        bar.Report(Progress(done: 1000, fileDone: 500, completed: true));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Downloaded openbmb/VoxCPM-0.5B", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Format_shows_bar_percent_sizes_and_file()
    {
        var line = ConsoleProgressBar.Format(new ModelDownloadProgress(
            "openbmb/VoxCPM-0.5B", "pytorch_model.bin", 5, 6, 1L << 30, 2L << 30, 3L << 29, 3L << 30, false));

        Assert.Equal("Downloading openbmb/VoxCPM-0.5B [############............]  50% 1.50 GiB/3.00 GiB  pytorch_model.bin (6/6)", line);
    }

    private static ModelDownloadProgress Progress(long done, long fileDone = 0, bool completed = false) =>
        new("openbmb/VoxCPM-0.5B", "pytorch_model.bin", 0, 2, fileDone, 500, done, 1000, completed);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
