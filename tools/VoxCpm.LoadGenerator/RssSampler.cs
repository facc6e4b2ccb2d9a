using System.Diagnostics;
using System.Globalization;

namespace VoxCpm.LoadGenerator;

/// <summary>
/// Samples a process's resident set size (VmRSS in /proc/PID/status, Linux) at the start, every interval and at the
/// end of the run, printing each sample as it is taken and a summary at the end: a soak shows whether memory is flat.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly List<(TimeSpan At, long Kib)> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private RssSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        Sample();
        _loop = LoopAsync(interval, _stop.Token);
    }

    public static RssSampler? Start(int pid, TimeSpan interval) => pid > 0 ? new RssSampler(pid, interval) : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            // The sampling loop is this object's own task, started in the constructor.
#pragma warning disable VSTHRD003
            await _loop;
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
        }

        Sample();
        _stop.Dispose();
        if (_samples.Count > 0)
        {
            var (first, last) = (_samples[0].Kib, _samples[^1].Kib);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hub RSS: start {Mb(first)} MB, min {Mb(_samples.Min(s => s.Kib))} MB, max {Mb(_samples.Max(s => s.Kib))} MB, end {Mb(last)} MB ({_samples.Count} samples)"));
            Console.WriteLine("hub RSS samples (s: MB): " + string.Join(", ", _samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.At.TotalSeconds:0}: {Mb(s.Kib)}"))));
        }
    }

    private async Task LoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Sample();
        }
    }

    private void Sample()
    {
        var kib = ReadRssKib(_pid);
        if (kib is null)
        {
            return;
        }

        lock (_samples)
        {
            _samples.Add((_clock.Elapsed, kib.Value));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rss t={_clock.Elapsed.TotalSeconds:0} s: {Mb(kib.Value)} MB"));
    }

    private static long? ReadRssKib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Mb(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
