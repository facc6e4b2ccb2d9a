using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>A logger provider that keeps the event names the hub logs, so a test can see a server-side decision.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _events = new();

    public bool Contains(string eventName) => _events.Contains(eventName);

    public int Count(string eventName) => _events.Count(name => name == eventName);

    public ILogger CreateLogger(string categoryName) => new Logger(_events);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                events.Enqueue(name);
            }
        }
    }
}
