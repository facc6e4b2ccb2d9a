using System.Diagnostics;
using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Engine.Text;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>
/// One text-in stream. Two loops share it: the text loop reads the client's text, cuts it into phrases
/// (<see cref="IncrementalPhraseCutter"/>) and enforces the limits; the speech loop speaks the phrases one after the
/// other as pieces of one voice, forwarding their audio as one gap-free sequence of events. The first failure (a limit,
/// the idle timeout, a piece that fails, a cancel) ends both and is the stream's one <see cref="FailedEvent"/>.
/// </summary>
internal sealed partial class TextStreamSession
{
    private readonly SynthesisService _service;
    private readonly TextStreamVoice _voice;
    private readonly SynthesisContext _context;
    private readonly TextStreamOptions _options;
    private readonly ILogger _logger;
    private readonly Action<string, IReadOnlyList<string>>? _ended;
    private readonly IncrementalPhraseCutter _cutter = new();
    private readonly Channel<string> _phrases = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<SynthesisEvent> _events = Channel.CreateUnbounded<SynthesisEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly Lock _textGate = new();
    private readonly System.Text.StringBuilder _received = new();
    private readonly List<string> _pieces = [];
    private (string Code, string Message)? _failure;

    // Characters cut into phrases and not yet spoken to the end; with the cutter's pending text, the unspoken text.
    private int _queuedChars;

    public TextStreamSession(SynthesisService service, TextStreamVoice voice, SynthesisContext context, TextStreamOptions options, ILogger logger, Action<string, IReadOnlyList<string>>? ended, CancellationToken cancellationToken)
    {
        _ended = ended;
        _service = service;
        _voice = voice;
        _context = context;
        _options = options;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>The stream's events: those of one synthesis.</summary>
    public ChannelReader<SynthesisEvent> Events => _events.Reader;

    /// <summary>The text as received so far, and the pieces spoken from it (for history).</summary>
    private (string Text, IReadOnlyList<string> Pieces) Transcript()
    {
        lock (_textGate)
        {
            return (_received.ToString(), [.. _pieces]);
        }
    }

    public void Start(ChannelReader<TextStreamInput> text) => _ = RunAsync(text);

    private async Task RunAsync(ChannelReader<TextStreamInput> text)
    {
        var reading = ReadTextAsync(text, _stop.Token);
        var speaking = SpeakAsync(_stop.Token);
        await Task.WhenAll(reading, speaking);
        if (_failure is null && _stop.IsCancellationRequested)
        {
            Fail(ErrorCodes.Cancelled, "the text stream was cancelled");
        }

        var (received, pieces) = Transcript();
        _ended?.Invoke(received, pieces);
        if (_failure is { } failure)
        {
            LogStreamFailed(_logger, _context.RequestId, failure.Code, failure.Message);
            _events.Writer.TryWrite(new FailedEvent(failure.Code, failure.Message));
        }
        else
        {
            _events.Writer.TryWrite(new CompletedEvent(Summary()));
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    /// <summary>The first failure wins; the other loop stops (cancelling the piece being spoken).</summary>
    private void Fail(string code, string message)
    {
        lock (_textGate)
        {
            _failure ??= (code, message);
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
