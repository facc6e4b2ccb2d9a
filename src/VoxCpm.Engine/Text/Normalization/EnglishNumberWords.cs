using System.Text;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>English number words in the style of Python <c>inflect.number_to_words</c> (what VoxCPM uses):
/// "one hundred and twenty-three", "one thousand, two hundred and thirty-four", "one thousand and five",
/// "twenty-three point four five".</summary>
internal static class EnglishNumberWords
{
    private static readonly string[] s_units =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] s_tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] s_scales = ["", " thousand", " million", " billion", " trillion", " quadrillion"];

    /// <summary>Cardinal of a run of ASCII digits (leading zeros ignored); longer than 18 digits → digit by digit.</summary>
    public static string Cardinal(string digits)
    {
        string trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return "zero";
        }

        if (trimmed.Length > 18)
        {
            return DigitByDigit(digits);
        }

        var parts = new List<string>();
        int groups = (trimmed.Length + 2) / 3;
        int lastValue = 0;
        for (int g = groups - 1; g >= 0; g--)
        {
            int end = trimmed.Length - (3 * g);
            int value = int.Parse(trimmed.AsSpan(Math.Max(0, end - 3), Math.Min(3, end)), provider: null);
            if (value == 0)
            {
                continue;
            }

            parts.Add(Hundreds(value) + s_scales[g]);
            lastValue = g == 0 ? value : 1000;
        }

        if (parts.Count > 1 && lastValue < 100)
        {
            return string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
        }

        return string.Join(", ", parts);
    }

    public static string Cardinal(long value) => value < 0 ? "minus " + Cardinal((-value).ToString()) : Cardinal(value.ToString());

    /// <summary>"3" + "14" → "three point one four".</summary>
    public static string Decimal(string integerDigits, string fractionDigits) =>
        Cardinal(integerDigits.Length == 0 ? "0" : integerDigits) + " point " + DigitByDigit(fractionDigits);

    public static string DigitByDigit(string digits)
    {
        var builder = new StringBuilder(digits.Length * 6);
        foreach (char c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(builder.Length == 0 ? "" : " ").Append(s_units[c - '0']);
            }
        }

        return builder.ToString();
    }

    /// <summary>"twenty-three" → "twenty-third", "one hundred and one" → "one hundred and first".</summary>
    public static string Ordinal(string digits)
    {
        string cardinal = Cardinal(digits);
        int cut = Math.Max(cardinal.LastIndexOf(' '), cardinal.LastIndexOf('-')) + 1;
        string last = cardinal[cut..];
        string ordinal = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return cardinal[..cut] + ordinal;
    }

    /// <summary>Years as spoken: 1999 → "nineteen ninety-nine", 2024 → "twenty twenty-four", 2005 → "two thousand
    /// five", 1900 → "nineteen hundred", 2000 → "two thousand".</summary>
    public static string Year(int year)
    {
        if (year is < 1000 or > 9999)
        {
            return Cardinal(year);
        }

        int high = year / 100;
        int low = year % 100;
        if (year % 1000 == 0 || (high % 10 == 0 && low < 10))
        {
            return Cardinal(year / 1000 * 1000) + (year % 1000 == 0 ? "" : " " + s_units[low]);
        }

        return low == 0 ? Hundreds(high) + " hundred" : Hundreds(high) + " " + (low < 10 ? "oh " + s_units[low] : Hundreds(low));
    }

    /// <summary>0..999 → words ("one hundred and five", "forty-two").</summary>
    public static string Hundreds(int value)
    {
        int hundreds = value / 100;
        int rest = value % 100;
        string tens = rest < 20 ? s_units[rest] : s_tens[rest / 10] + (rest % 10 == 0 ? "" : "-" + s_units[rest % 10]);
        if (hundreds == 0)
        {
            return tens;
        }

        return s_units[hundreds] + " hundred" + (rest == 0 ? "" : " and " + tens);
    }
}
