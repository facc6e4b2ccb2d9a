using System.Text;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>Chinese number readings: 一百二十三, 两千零五, 一万零一十, 三点一四, years digit by digit (二〇二四).</summary>
internal static class ChineseNumberWords
{
    private const string Digits = "零一二三四五六七八九";
    private static readonly string[] s_sectionUnits = ["", "万", "亿", "万亿", "亿亿"];

    /// <summary>Cardinal of a run of ASCII digits; a leading 二 before 百/千/万/亿 is read 两 (两千零五, 两百).
    /// More than 20 digits → digit by digit.</summary>
    public static string Cardinal(string digits)
    {
        string trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return "零";
        }

        if (trimmed.Length > 20)
        {
            return DigitByDigit(digits);
        }

        var builder = new StringBuilder();
        int sections = (trimmed.Length + 3) / 4;
        bool zeroPending = false;
        for (int s = sections - 1; s >= 0; s--)
        {
            int end = trimmed.Length - (4 * s);
            int value = int.Parse(trimmed.AsSpan(Math.Max(0, end - 4), Math.Min(4, end)), provider: null);
            if (value == 0)
            {
                zeroPending = builder.Length > 0;
                continue;
            }

            if (builder.Length > 0 && (zeroPending || value < 1000))
            {
                builder.Append('零');
            }

            AppendSection(builder, value);
            builder.Append(s_sectionUnits[s]);
            zeroPending = false;
        }

        // 10..19 at the start read 十, 十一 (not 一十一).
        if (builder.Length >= 2 && builder[0] == '一' && builder[1] == '十')
        {
            builder.Remove(0, 1);
        }

        if (builder.Length >= 2 && builder[0] == '二' && "百千万亿".Contains(builder[1], StringComparison.Ordinal))
        {
            builder[0] = '两';
        }

        return builder.ToString();
    }

    /// <summary>"3" + "14" → 三点一四.</summary>
    public static string Decimal(string integerDigits, string fractionDigits) =>
        Cardinal(integerDigits.Length == 0 ? "0" : integerDigits) + "点" + DigitByDigit(fractionDigits);

    public static string DigitByDigit(string digits, char zero = '零')
    {
        var builder = new StringBuilder(digits.Length);
        foreach (char c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c == '0' ? zero : Digits[c - '0']);
            }
        }

        return builder.ToString();
    }

    /// <summary>Years are read digit by digit with 〇: 2024 → 二〇二四.</summary>
    public static string Year(string digits) => DigitByDigit(digits, '〇');

    private static void AppendSection(StringBuilder builder, int value)
    {
        const string units = "千百十";
        bool zero = false;
        bool started = false;
        for (int place = 0; place < 4; place++)
        {
            int divisor = place switch { 0 => 1000, 1 => 100, 2 => 10, _ => 1 };
            int digit = value / divisor % 10;
            if (digit == 0)
            {
                zero |= started;
                continue;
            }

            if (zero)
            {
                builder.Append('零');
                zero = false;
            }

            builder.Append(Digits[digit]);
            if (place < 3)
            {
                builder.Append(units[place]);
            }

            started = true;
        }
    }
}
