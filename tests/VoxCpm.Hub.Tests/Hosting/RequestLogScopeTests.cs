using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Hosting;

/// <summary>Every line logged for a request carries its request id and entry point (the request's log scope).</summary>
public sealed class RequestLogScopeTests : TinyHubFixture
{
    private readonly CapturingLoggerProvider _logs = new();

    protected override void Configure(Dictionary<string, string?> settings) => settings["TTS_LOG_LEVEL"] = "DEBUG";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task Lines_logged_during_a_raw_request_carry_its_request_id_and_entry_point()
    {
        await using (var raw = await RawTtsClient.ConnectAsync(Hub.Api))
        {
            await raw.SendRequestAsync("scoped-1", new { text = "Scope one.", seed = 1 });
            await raw.SendRequestAsync("scoped-2", new { text = "Scope two.", seed = 2 });
            var completed = new HashSet<string>(StringComparer.Ordinal);
            while (completed.Count < 2)
            {
                var message = await raw.ReceiveAsync();
                Assert.False(message.Closed || message.Type == "error", message.ToString());
                if (message.Type == "complete")
                {
                    completed.Add(message.RequestId!);
                }
            }
        }

        var first = await Eventually.MatchesAsync(
            () => Task.FromResult(_logs.Entries.Where(entry => entry.Scope("RequestId") == "scoped-1").ToList()),
            entries => entries.Any(entry => entry.EventName == "RawTtsRequestEnded"));

        // The synthesis service's own line (another class, deeper in the call) and the transport's last line.
        Assert.Contains(first, entry => entry.EventName == "SynthesisAccepted" && entry.Message.Contains("scoped-1", StringComparison.Ordinal));
        Assert.All(first, entry => Assert.Equal("raw_ws", entry.Scope("EntryPoint")));
        Assert.DoesNotContain(first, entry => entry.Message.Contains("scoped-2", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, entry => entry.EventName == "RawTtsRequestEnded" && entry.Scope("RequestId") == "scoped-2");
    }

    private sealed record LogEntry(string Category, string? EventName, string Message, IReadOnlyList<KeyValuePair<string, object?>> Scopes)
    {
        public string? Scope(string name) => Scopes.LastOrDefault(pair => pair.Key == name).Value?.ToString();
    }

    /// <summary>An in-memory logger provider that records each entry with the values of its scopes.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<KeyValuePair<string, object?>>();
                provider._scopes.ForEachScope(
                    static (scope, list) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            list.AddRange(pairs);
                        }
                    },
                    scopes);
                provider._entries.Enqueue(new LogEntry(category, eventId.Name, formatter(state, exception), scopes));
            }
        }
    }
}
