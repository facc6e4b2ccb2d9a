using System.Text;

namespace VoxCpm.Engine.Text;

/// <summary>
/// Splits long text into segments the model speaks well (issue: long input speeds up, repeats or never stops).
/// Sentences end at 。！？；!?; and at '.' followed by a space or the end — except inside numbers (3.14) and after
/// common abbreviations (Mr., e.g., U.S.). Short sentences are packed together up to <c>maxChars</c>; a longer
/// sentence is cut at clause marks (，,、：:), then at spaces, and only as a last resort inside a word run.
/// Closing quotes and brackets stay with the sentence they close.
/// </summary>
public static class TextSegmenter
{
    /// <summary>Default longest segment, in characters (about 120 Chinese characters or 20 English words).</summary>
    public const int DefaultMaxChars = 120;

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp",
        "no", "fig", "vol", "approx", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "mt", "ave", "gen", "col", "lt", "sgt", "capt",
    };

    public static IReadOnlyList<string> Split(string text, int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 8);
        var segments = new List<string>();
        var current = new StringBuilder();
        foreach (string sentence in Sentences(text))
        {
            foreach (string piece in sentence.Length <= maxChars ? [sentence] : SplitLong(sentence, maxChars))
            {
                if (current.Length > 0 && current.Length + piece.Length > maxChars)
                {
                    Flush(current, segments);
                }

                current.Append(piece);
            }
        }

        Flush(current, segments);
        return segments;
    }

    /// <summary>Sentences with their trailing punctuation, closing quotes and following spaces.</summary>
    internal static IEnumerable<string> Sentences(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!EndsSentence(text, i))
            {
                continue;
            }

            int end = i + 1;
            while (end < text.Length && (IsCloser(text[end]) || IsTerminal(text[end])))
            {
                end++;
            }

            while (end < text.Length && char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            yield return text[start..end];
            start = end;
            i = end - 1;
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static bool EndsSentence(string text, int i)
    {
        char c = text[i];
        if (c is '。' or '！' or '？' or '；' or '!' or '?' or ';' or '…')
        {
            return true;
        }

        if (c != '.')
        {
            return false;
        }

        bool atEnd = i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) || IsCloser(text[i + 1]) || IsCjk(text[i + 1]);
        if (!atEnd)
        {
            return false; // 3.14, example.com, U.S.A
        }

        return !IsAbbreviation(text, i);
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        int start = dot;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        string word = text[start..dot];
        return word.Length > 0 && (Abbreviations.Contains(word) || (word.Length == 1 && char.IsUpper(word[0])));
    }

    private static List<string> SplitLong(string sentence, int maxChars)
    {
        var pieces = new List<string>();
        int start = 0;
        while (sentence.Length - start > maxChars)
        {
            int cut = LastBreak(sentence, start, maxChars, IsClauseMark);
            if (cut <= start)
            {
                cut = LastBreak(sentence, start, maxChars, char.IsWhiteSpace);
            }

            if (cut <= start)
            {
                cut = start + maxChars; // one unbroken run: cut it, but never inside a surrogate pair
                if (char.IsHighSurrogate(sentence[cut - 1]))
                {
                    cut--;
                }
            }

            pieces.Add(sentence[start..cut]);
            start = cut;
        }

        pieces.Add(sentence[start..]);
        return pieces;
    }

    /// <summary>The position just after the last break character within [start, start + maxChars), or start.</summary>
    private static int LastBreak(string text, int start, int maxChars, Func<char, bool> isBreak)
    {
        for (int i = Math.Min(text.Length, start + maxChars) - 1; i > start; i--)
        {
            if (isBreak(text[i]) && !(text[i] == ',' && i > 0 && i + 1 < text.Length && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1])))
            {
                return i + 1;
            }
        }

        return start;
    }

    private static void Flush(StringBuilder current, List<string> segments)
    {
        string segment = current.ToString().Trim();
        if (segment.Length > 0)
        {
            segments.Add(segment);
        }

        current.Clear();
    }

    private static bool IsClauseMark(char c) => c is '，' or ',' or '、' or '：' or ':' or '—' or '–';

    private static bool IsTerminal(char c) => c is '。' or '！' or '？' or '!' or '?' or '…' or '.';

    private static bool IsCloser(char c) => c is '"' or '\'' or '”' or '’' or '」' or '』' or '）' or ')' or '】' or ']' or '》';

    private static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF';
}
