using System.Text;
using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>The official <c>clean_text</c> step of normalization: Markdown stripped, emoji removed, newlines and
/// tabs to spaces, curly double quotes to straight ones.</summary>
internal static partial class TextCleaner
{
    public static string Clean(string text)
    {
        text = StripMarkdown(text);
        text = RemoveEmoji(text);
        return text.Replace('\n', ' ').Replace('\t', ' ').Replace('\u201C', '"').Replace('\u201D', '"');
    }

    public static string StripMarkdown(string text)
    {
        text = FencedCode().Replace(text, "");
        text = InlineCode().Replace(text, "");
        text = Image().Replace(text, "");
        text = Link().Replace(text, "$1");
        text = ListBullet().Replace(text, "$1");
        text = HtmlTag().Replace(text, "");
        text = Heading().Replace(text, "");
        text = BlankLines().Replace(text, "\n");
        return text.Trim();
    }

    /// <summary>Removes emoji-presentation characters and any character followed by VS16 (U+FE0F), with joiners
    /// and skin-tone modifiers — the approximation of <c>\p{Emoji_Presentation}|\p{Emoji}\uFE0F</c> that .NET's
    /// regex (which lacks emoji properties) allows.</summary>
    public static string RemoveEmoji(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int codePoint = CodePointAt(text, i, out int width);
            bool followedByVs16 = i + width < text.Length && text[i + width] == '\uFE0F';
            if (!IsEmojiPresentation(codePoint) && !(followedByVs16 && !char.IsLetter(text, i)) && codePoint is not (0xFE0F or 0x200D or 0x20E3))
            {
                builder.Append(text, i, width);
            }

            i += width - 1;
        }

        return builder.ToString();
    }

    private static int CodePointAt(string text, int index, out int width)
    {
        if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(text[index], text[index + 1]);
        }

        width = 1;
        return text[index];
    }

    private static bool IsEmojiPresentation(int c) =>
        c is (>= 0x1F000 and <= 0x1FAFF) or 0x231A or 0x231B or (>= 0x23E9 and <= 0x23EC) or 0x23F0 or 0x23F3
            or 0x25FD or 0x25FE or 0x2614 or 0x2615 or (>= 0x2648 and <= 0x2653) or 0x267F or 0x2693 or 0x26A1
            or 0x26AA or 0x26AB or 0x26BD or 0x26BE or 0x26C4 or 0x26C5 or 0x26CE or 0x26D4 or 0x26EA or 0x26F2
            or 0x26F3 or 0x26F5 or 0x26FA or 0x26FD or 0x2705 or 0x270A or 0x270B or 0x2728 or 0x274C or 0x274E
            or (>= 0x2753 and <= 0x2755) or 0x2757 or (>= 0x2795 and <= 0x2797) or 0x27B0 or 0x27BF or 0x2B1B
            or 0x2B1C or 0x2B50 or 0x2B55;

    [GeneratedRegex("```.*?```", RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!\[[^\]]*\]\([^\)]+\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^(\s*)-\s+", RegexOptions.Multiline)]
    private static partial Regex ListBullet();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"^#{1,6}\s*", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();
}
