using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace VoxCpm.Hub.LlmSpeech;

/// <summary>A stand-in for a language model: the text's words, one every 1/rate seconds, each with its trailing space.</summary>
internal sealed class TimedWordStream(string text, double wordsPerSecond)
{
    private readonly string[] _words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public int WordCount => _words.Length;

    /// <summary>When the first word was written.</summary>
    public long Started { get; private set; }

    /// <summary>When the word that completes the first phrase (ends with a sentence mark) was written.</summary>
    public long? FirstPhraseBoundary { get; private set; }

    public async IAsyncEnumerable<string> WordsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var gap = TimeSpan.FromSeconds(1 / wordsPerSecond);
        Started = Stopwatch.GetTimestamp();
        for (var i = 0; i < _words.Length; i++)
        {
            // Paced from the start, not from the previous word, so a slow consumer does not slow the "model" down.
            var due = Started + (long)(i * gap.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var word = _words[i];
            var bare = word.TrimEnd('"', '\'', ')', '”');
            if (FirstPhraseBoundary is null && bare.Length > 0 && ".!?。！？".Contains(bare[^1], StringComparison.Ordinal))
            {
                FirstPhraseBoundary = Stopwatch.GetTimestamp();
            }

            yield return i + 1 < _words.Length ? word + " " : word;
        }
    }
}
