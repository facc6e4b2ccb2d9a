using System.Text;
using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>Chinese text normalization (our rules in place of WeTextProcessing's zh TN grammar), wrapped in the
/// official pre- and post-steps: <c>=</c> → 等于 first; then spaces dropped unless both neighbours are ASCII,
/// ² ³ √ ≈ &lt; spelled out, full-width brackets and —— to spaces, backticks removed.</summary>
internal static partial class ChineseTextNormalizer
{
    /// <summary>Codes and long digit strings (phone numbers, ids: 11 digits and more) are read digit by digit.</summary>
    private static readonly NumberReading s_numbers = new(ChineseNumberWords.Cardinal, ChineseNumberWords.Decimal, digits => ChineseNumberWords.DigitByDigit(digits), DigitByDigitFrom: 11);

    public static string Normalize(string text)
    {
        text = text.Replace("=", "等于", StringComparison.Ordinal);
        text = NumericDate().Replace(text, DateWords);
        text = Year().Replace(text, m => ChineseNumberWords.Year(m.Groups["y"].Value) + "年");
        text = MonthOrDay().Replace(text, m => ChineseNumberWords.Cardinal(m.Groups["n"].Value) + m.Groups["u"].Value);
        text = Time().Replace(text, TimeWords);
        text = Money().Replace(text, MoneyWords);
        text = Percent().Replace(text, m => Signed(m, "百分之" + Number(m)));
        text = EnglishOrdinal().Replace(text, m => "第" + ChineseNumberWords.Cardinal(m.Groups["n"].Value));
        text = SharedPatterns.UnitAmount().Replace(text, m => Signed(m, Number(m)) + Units.Lookup(m.Groups["unit"].Value).Chinese);
        text = SharedPatterns.Fraction().Replace(text, m => ChineseNumberWords.Cardinal(m.Groups["b"].Value) + "分之" + ChineseNumberWords.Cardinal(m.Groups["a"].Value));
        text = SharedPatterns.SpacedMinus().Replace(text, "减");
        text = Range().Replace(text, "到");
        text = Symbols().Replace(text, m => SymbolWord(m.Value));
        text = SharedPatterns.SignedNumber().Replace(text, m => Signed(m, Number(m)));
        text = RemoveSpacesBetweenNonAscii(text);
        text = text.Replace("²", "平方", StringComparison.Ordinal).Replace("³", "立方", StringComparison.Ordinal)
            .Replace("√", "根号", StringComparison.Ordinal).Replace("≈", "约等于", StringComparison.Ordinal)
            .Replace("<", "小于", StringComparison.Ordinal);
        return text.Replace('（', ' ').Replace('）', ' ').Replace('【', ' ').Replace('】', ' ')
            .Replace("`", "", StringComparison.Ordinal).Replace("——", " ", StringComparison.Ordinal);
    }

    private static string Number(Match m) => s_numbers.Read(m);

    private static string Signed(Match m, string words) => NumberMatch.IsNegative(m) ? "负" + words : words;

    private static string DateWords(Match m)
    {
        int month = int.Parse(m.Groups["m"].Value, provider: null);
        int day = int.Parse(m.Groups["d"].Value, provider: null);
        return NumberMatch.IsCalendarDay(month, day)
            ? $"{ChineseNumberWords.Year(m.Groups["y"].Value)}年{ChineseNumberWords.Cardinal(month.ToString())}月{ChineseNumberWords.Cardinal(day.ToString())}日"
            : m.Value;
    }

    private static string TimeWords(Match m)
    {
        if (!NumberMatch.TryClock(m, out int hour, out int minute))
        {
            return m.Value;
        }

        var words = new StringBuilder(ChineseNumberWords.Cardinal(hour.ToString())).Append('点');
        int second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, provider: null) : 0;
        if (minute > 0 || second > 0)
        {
            words.Append(minute is > 0 and < 10 ? "零" : "").Append(ChineseNumberWords.Cardinal(minute.ToString())).Append('分');
        }

        if (second > 0)
        {
            words.Append(ChineseNumberWords.Cardinal(second.ToString())).Append('秒');
        }

        return words.ToString();
    }

    private static string MoneyWords(Match m)
    {
        string currency = m.Groups["sym"].Value switch
        {
            "$" => "美元",
            "€" => "欧元",
            "£" => "英镑",
            _ => "元",
        };
        string? fraction = NumberMatch.Fraction(m)?.TrimEnd('0');
        string integer = NumberMatch.IntegerDigits(m);
        string amount = string.IsNullOrEmpty(fraction) ? ChineseNumberWords.Cardinal(integer) : ChineseNumberWords.Decimal(integer, fraction);
        return amount + m.Groups["scale"].Value + currency;
    }

    private static string SymbolWord(string symbol) => symbol.Trim() switch
    {
        "+" => "加",
        "×" or "*" => "乘",
        "÷" => "除以",
        "≥" => "大于等于",
        "≤" => "小于等于",
        "≠" => "不等于",
        ">" => "大于",
        "~" or "～" => "到",
        "&" => "和",
        "@" => "艾特",
        _ => symbol,
    };

    /// <summary>The official <c>replace_blank</c>: a space survives only between two ASCII non-space characters.</summary>
    private static string RemoveSpacesBetweenNonAscii(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != ' ' || (i > 0 && i + 1 < text.Length && IsAsciiNonSpace(text[i - 1]) && IsAsciiNonSpace(text[i + 1])))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsAsciiNonSpace(char c) => c < 128 && c != ' ';

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})[-/.](?<m>\d{1,2})[-/.](?<d>\d{1,2})(?!\d)")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})\s?年")]
    private static partial Regex Year();

    [GeneratedRegex(@"(?<![\d.])(?<n>[1-9]|[12]\d|3[01])\s?(?<u>月|日|号)")]
    private static partial Regex MonthOrDay();

    [GeneratedRegex(@"(?<!\d)(?<h>\d{1,2})[:：](?<min>\d{2})(?:[:：](?<s>\d{2}))?(?!\d)")]
    private static partial Regex Time();

    [GeneratedRegex(@"(?<sym>[$€£¥￥])\s?" + NumberMatch.Pattern + @"(?<scale>万|亿)?")]
    private static partial Regex Money();

    [GeneratedRegex(@"(?<sign>(?<![A-Za-z0-9)])-)?" + NumberMatch.Pattern + @"\s?[%％]")]
    private static partial Regex Percent();

    [GeneratedRegex(@"(?<![\w])(?<n>\d+)(?:st|nd|rd|th)(?![A-Za-z])")]
    private static partial Regex EnglishOrdinal();

    [GeneratedRegex(@"(?<=\d)[-~～](?=\d)")]
    private static partial Regex Range();

    [GeneratedRegex(@"[×÷≥≤≠&@]|(?<=[\d\s])[+*](?=[\d\s])|(?<=\d\s?)>(?=\s?\d)")]
    private static partial Regex Symbols();
}
