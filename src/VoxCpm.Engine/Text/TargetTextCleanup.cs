using System.Text;

namespace VoxCpm.Engine.Text;

/// <summary>
/// VoxCPM's whitespace cleanup of the target text (<c>re.sub(r"\s+", " ", text.replace("\n", " "))</c>): every run
/// of whitespace becomes one space; nothing is trimmed. The prompt text is never cleaned.
/// </summary>
internal static class TargetTextCleanup
{
    public static string CollapseWhitespace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        bool inRun = false;
        foreach (char c in text)
        {
            if (IsPythonWhitespace(c))
            {
                if (!inRun)
                {
                    builder.Append(' ');
                }

                inRun = true;
            }
            else
            {
                builder.Append(c);
                inRun = false;
            }
        }

        return builder.ToString();
    }

    /// <summary>Python's <c>str.isspace()</c>, which is what <c>\s</c> matches in a str pattern (it differs from
    /// .NET's <c>\s</c> by the four information separators U+001C..U+001F).</summary>
    internal static bool IsPythonWhitespace(char c) =>
        c is (>= '\t' and <= '\r') or (>= '\u001C' and <= '\u001F') or ' ' or '\u0085' or '\u00A0' or '\u1680'
            or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';
}
