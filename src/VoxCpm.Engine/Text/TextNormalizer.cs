using VoxCpm.Engine.Text.Normalization;

namespace VoxCpm.Engine.Text;

/// <summary>
/// <c>normalize=true</c>: spells out numbers, dates, times, money, units and symbols so the model reads them.
/// </summary>
/// <remarks>
/// <para><b>What the official code does</b> (VoxCPM <c>utils/text_normalize.py</c>): language is "zh" if the text
/// contains any U+4E00..U+9FFF character, otherwise "en"; Markdown and emoji are stripped; then WeTextProcessing's
/// FST grammars (zh or en TN) run, and for English every remaining digit run goes through
/// <c>inflect.number_to_words</c>.</para>
/// <para><b>What this class does.</b> The same language decision and the same cleaning steps (Markdown regexes,
/// emoji, quotes) and the same zh pre/post steps (<c>=</c> → 等于, blank removal, ² ³ √ ≈ &lt;, brackets). In place
/// of the WeTextProcessing grammars, an ordered list of regex rules of our own, for each language: dates
/// (2024-05-01, 5/1/2024, May 1, 2024, 2024年5月1日), times (12:30), money ($ € £ ¥ ￥ 元), percentages,
/// ordinals (1st, 第3), units after a number (km, kg, °C, m², km/h …), fractions (3/4), minus and ranges
/// (5 - 3, 5-10, -5), math and common symbols (+ = ≥ ≤ ≠ ≈ × ÷ &amp; @ ~ &gt;), and finally plain numbers
/// (thousands separators, decimals; codes with a leading zero and, in Chinese, runs of 11+ digits are read digit by
/// digit). Chinese numbers are read the Chinese way (一百二十三, 两千零五, 三点一四, 百分之五十, years digit by digit:
/// 二〇二四年); English ones the <c>inflect</c> way ("one hundred and twenty-three", "twenty-three point four five",
/// years as "twenty twenty-four").</para>
/// <para><b>Limits.</b> Rules, not a grammar: context-dependent readings are not attempted (a bare 2024 is a number,
/// not a year, unless 年 or a date pattern marks it; "5 m" is always metres; phone numbers need 11+ digits to be
/// read digit by digit). Mixed-language text follows the whole text's language (any Chinese character makes the
/// Chinese rules apply to the English parts' numbers too). Outputs therefore differ from the official in places;
/// <c>normalize</c> is off by default in the official API and in ours.</para>
/// </remarks>
public static class TextNormalizer
{
    /// <summary>"zh" when the text has any CJK unified ideograph (U+4E00..U+9FFF), otherwise "en".</summary>
    public static string DetectLanguage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (c is >= '\u4E00' and <= '\u9FFF')
            {
                return "zh";
            }
        }

        return "en";
    }

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string language = DetectLanguage(text);
        string cleaned = TextCleaner.Clean(text);
        return language == "zh" ? ChineseTextNormalizer.Normalize(cleaned) : EnglishTextNormalizer.Normalize(cleaned);
    }
}
