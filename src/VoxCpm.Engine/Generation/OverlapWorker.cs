using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// A thread of its own that runs one fixed piece of work each time it is started, so a decode step can overlap that
/// work with its own (the streaming VAE beside the language models) without a task or closure per step. Started and
/// joined by one thread at a time; a failure of the work is rethrown by <see cref="Join"/>.
/// </summary>
internal sealed class OverlapWorker : IDisposable
{
    private readonly Action _work;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _started = new(0);
    private readonly SemaphoreSlim _finished = new(0);
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;

    public OverlapWorker(Action work, string name)
    {
        _work = work;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>How long the work took the last time it ran (read after <see cref="Join"/>).</summary>
    public TimeSpan LastWorkTime { get; private set; }

    public void Start() => _started.Release();

    /// <summary>Waits for the work started last (time counted as ONNX Runtime's); rethrows what it threw.</summary>
    public void Join()
    {
        long waiting = Onnx.OrtTime.Start();
        _finished.Wait();
        Onnx.OrtTime.Stop(waiting);
        if (_failure is { } failure)
        {
            _failure = null;
            failure.Throw();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _started.Release();
        _thread.Join();
        _started.Dispose();
        _finished.Dispose();
    }

    private void Loop()
    {
        Onnx.OrtTime.ExcludeCurrentThread();
        while (true)
        {
            _started.Wait();
            if (_stopping)
            {
                return;
            }

            long started = Stopwatch.GetTimestamp();
            try
            {
                _work();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }

            LastWorkTime = Stopwatch.GetElapsedTime(started);
            _finished.Release();
        }
    }
}
