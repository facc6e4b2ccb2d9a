using System.Text;

namespace VoxCpm.Engine.Text;

/// <summary>
/// Cuts text that arrives a few characters at a time (a language model's output) into phrases to speak, as soon as
/// each phrase is known to be complete: first at sentence ends (the same rules as <see cref="TextSegmenter"/>), then
/// at clause marks once a phrase is long enough, and at <see cref="PhraseCutterSettings.MaxPhraseChars"/> at the
/// latest. A sentence end is only certain once the next character is seen ("3." may become "3.14"), so text that
/// stops at a possible end waits for <see cref="TakeAtPause"/> (the caller's short timer) or <see cref="Flush"/>.
/// Not thread-safe: one text stream owns one cutter.
/// </summary>
public sealed class IncrementalPhraseCutter(PhraseCutterSettings settings)
{
    private readonly StringBuilder _pending = new();

    public IncrementalPhraseCutter()
        : this(PhraseCutterSettings.Default)
    {
    }

    /// <summary>Characters received but not yet cut into a phrase.</summary>
    public int PendingLength => _pending.Length;

    /// <summary>Adds text and returns the phrases it completed, in order (often none).</summary>
    public IReadOnlyList<string> Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pending.Append(text);
        var phrases = new List<string>();
        while (_pending.Length > 0 && NextCut(_pending.ToString()) is > 0 and var cut)
        {
            Emit(cut, phrases);
        }

        return phrases;
    }

    /// <summary>
    /// The text paused: returns the pending text when it ends at a possible sentence end or a clause mark (more text
    /// would have shown whether it does), otherwise nothing: a half-written phrase keeps waiting for its words.
    /// </summary>
    public string? TakeAtPause()
    {
        var text = _pending.ToString().TrimEnd();
        if (text.Length == 0 || !(IsTerminal(text[^1]) || IsClauseMark(text[^1]) || IsCloser(text[^1])))
        {
            return null;
        }

        _pending.Clear();
        return text.Trim();
    }

    /// <summary>The text ended (or the client asked to speak what it has): every pending character, as phrases.</summary>
    public IReadOnlyList<string> Flush()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text.Trim().Length == 0 ? [] : TextSegmenter.Split(text, settings.MaxPhraseChars);
    }

    /// <summary>Where the first complete phrase of <paramref name="text"/> ends, or 0 when none is complete yet.</summary>
    private int NextCut(string text)
    {
        // A sentence is complete when text follows its end. Trailing spaces count as "text follows", so they are
        // given a neutral character to precede: "Hello. " ends a sentence, "Mr. " does not.
        var probe = text.Length > 0 && char.IsWhiteSpace(text[^1]) ? text + "x" : text;
        using var sentences = TextSegmenter.Sentences(probe).GetEnumerator();
        if (sentences.MoveNext())
        {
            var first = sentences.Current;
            if (sentences.MoveNext() && first.Length <= settings.MaxPhraseChars)
            {
                return Math.Min(first.Length, text.Length);
            }
        }

        int window = Math.Min(text.Length, settings.MaxPhraseChars);
        int clause = FirstClauseCut(text, window);
        if (clause > 0)
        {
            return clause;
        }

        return text.Length > settings.MaxPhraseChars ? CapCut(text) : 0;
    }

    /// <summary>Just after the first clause mark that closes a phrase of at least MinClauseChars and has text after it.</summary>
    private int FirstClauseCut(string text, int window)
    {
        for (int i = settings.MinClauseChars - 1; i < window && i + 1 < text.Length; i++)
        {
            if (IsClauseMark(text[i]) && !IsDigitGroupComma(text, i))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Over the cap with no clause mark: the last space within the cap, else the cap itself (never inside a surrogate pair).</summary>
    private int CapCut(string text)
    {
        int max = settings.MaxPhraseChars;
        for (int i = max - 1; i > 0; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i + 1;
            }
        }

        return char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
    }

    private void Emit(int cut, List<string> phrases)
    {
        var phrase = _pending.ToString(0, cut).Trim();
        _pending.Remove(0, cut);
        if (phrase.Length > 0)
        {
            phrases.Add(phrase);
        }
    }

    private static bool IsDigitGroupComma(string text, int i) =>
        text[i] == ',' && i > 0 && i + 1 < text.Length && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1]);

    private static bool IsClauseMark(char c) => c is '，' or ',' or '、' or '：' or ':' or '—' or '–' or ';' or '；';

    private static bool IsTerminal(char c) => c is '。' or '！' or '？' or '!' or '?' or '…' or '.';

    private static bool IsCloser(char c) => c is '"' or '\'' or '”' or '’' or '」' or '』' or '）' or ')' or '】' or ']' or '》';
}

/// <summary>How <see cref="IncrementalPhraseCutter"/> cuts.</summary>
/// <param name="MaxPhraseChars">Longest phrase; longer text is cut at a clause mark, a space, or here (≥ 8).</param>
/// <param name="MinClauseChars">A clause mark ends a phrase only once the phrase is this long (≥ 1), so a stream is not spoken a word at a time.</param>
public sealed record PhraseCutterSettings(int MaxPhraseChars = TextSegmenter.DefaultMaxChars, int MinClauseChars = PhraseCutterSettings.DefaultMinClauseChars)
{
    /// <summary>About four English words or eight Chinese characters.</summary>
    public const int DefaultMinClauseChars = 24;

    public static PhraseCutterSettings Default { get; } = new();
}
