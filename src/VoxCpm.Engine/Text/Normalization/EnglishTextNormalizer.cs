using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>English text normalization: dates, times, money, percentages, ordinals, units, fractions, signs and
/// symbols, then numbers — each a regex rule in that order, numbers read as <c>inflect</c> reads them.</summary>
internal static partial class EnglishTextNormalizer
{
    private static readonly NumberReading s_numbers = new(EnglishNumberWords.Cardinal, EnglishNumberWords.Decimal, EnglishNumberWords.DigitByDigit);

    private static readonly string[] s_months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Normalize(string text)
    {
        text = IsoDate().Replace(text, m => Date(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value) ?? m.Value);
        text = UsDate().Replace(text, m => Date(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value) ?? m.Value);
        text = MonthDay().Replace(text, MonthDayWords);
        text = Time().Replace(text, TimeWords);
        text = Money().Replace(text, MoneyWords);
        text = Percent().Replace(text, m => Signed(m, Number(m)) + " percent");
        text = Ordinal().Replace(text, m => EnglishNumberWords.Ordinal(m.Groups["n"].Value));
        text = SharedPatterns.UnitAmount().Replace(text, UnitWords);
        text = SharedPatterns.Fraction().Replace(text, FractionWords);
        text = SharedPatterns.SpacedMinus().Replace(text, " minus ");
        text = Range().Replace(text, " to ");
        text = Symbols().Replace(text, m => " " + SymbolWord(m.Value) + " ");
        text = SharedPatterns.SignedNumber().Replace(text, m => Signed(m, Number(m)));

        // What the official pipeline does last (inflect on every remaining digit run).
        text = Digits().Replace(text, m => EnglishNumberWords.Cardinal(m.Value));
        return Spaces().Replace(text, " ").Trim();
    }

    private static string Number(Match m) => s_numbers.Read(m);

    private static string Signed(Match m, string words) => NumberMatch.IsNegative(m) ? "minus " + words : words;

    private static string? Date(string year, string month, string day)
    {
        int mo = int.Parse(month, provider: null);
        int d = int.Parse(day, provider: null);
        return NumberMatch.IsCalendarDay(mo, d)
            ? $"{s_months[mo - 1]} {EnglishNumberWords.Ordinal(d.ToString())}, {EnglishNumberWords.Year(int.Parse(year, provider: null))}"
            : null;
    }

    private static string MonthDayWords(Match m)
    {
        string month = s_months.First(name => name.StartsWith(m.Groups["mon"].Value[..3], StringComparison.OrdinalIgnoreCase));
        string words = $"{month} {EnglishNumberWords.Ordinal(m.Groups["d"].Value)}";
        return m.Groups["y"].Success ? $"{words}, {EnglishNumberWords.Year(int.Parse(m.Groups["y"].Value, provider: null))}" : words;
    }

    private static string TimeWords(Match m)
    {
        if (!NumberMatch.TryClock(m, out int hour, out int minute))
        {
            return m.Value;
        }

        string words = EnglishNumberWords.Cardinal(hour);
        bool meridiem = m.Groups["ap"].Success;
        words += minute switch
        {
            0 => meridiem ? "" : " o'clock",
            < 10 => " oh " + EnglishNumberWords.Cardinal(minute),
            _ => " " + EnglishNumberWords.Cardinal(minute),
        };
        if (m.Groups["s"].Success)
        {
            int seconds = int.Parse(m.Groups["s"].Value, provider: null);
            words += " and " + EnglishNumberWords.Cardinal(seconds) + (seconds == 1 ? " second" : " seconds");
        }

        return meridiem ? words + (char.ToLowerInvariant(m.Groups["ap"].Value[0]) == 'a' ? " a m" : " p m") : words;
    }

    private static string MoneyWords(Match m)
    {
        (string one, string many, string? centOne, string? centMany) = m.Groups["sym"].Value switch
        {
            "$" => ("dollar", "dollars", "cent", "cents"),
            "€" => ("euro", "euros", "cent", "cents"),
            "£" => ("pound", "pounds", "penny", "pence"),
            _ => ("yen", "yen", (string?)null, (string?)null),
        };
        string integer = NumberMatch.IntegerDigits(m);
        string? fraction = NumberMatch.Fraction(m);
        if (m.Groups["scale"].Success)
        {
            return $"{Number(m)} {m.Groups["scale"].Value} {many}";
        }

        if (fraction is null || fraction.Length != 2 || centOne is null)
        {
            return $"{Number(m)} {(NumberMatch.IsOne(m) ? one : many)}";
        }

        int cents = int.Parse(fraction, provider: null);
        string main = $"{EnglishNumberWords.Cardinal(integer)} {(integer.TrimStart('0') == "1" ? one : many)}";
        string minor = $"{EnglishNumberWords.Cardinal(cents)} {(cents == 1 ? centOne : centMany)}";
        return cents == 0 ? main : integer.TrimStart('0').Length == 0 ? minor : $"{main} and {minor}";
    }

    private static string UnitWords(Match m)
    {
        (string singular, string plural, _) = Units.Lookup(m.Groups["unit"].Value);
        return Signed(m, Number(m)) + " " + (NumberMatch.IsOne(m) && !NumberMatch.IsNegative(m) ? singular : plural);
    }

    private static string FractionWords(Match m)
    {
        string numerator = m.Groups["a"].Value;
        int denominator = int.Parse(m.Groups["b"].Value, provider: null);
        bool single = numerator == "1";
        string top = EnglishNumberWords.Cardinal(numerator);
        return denominator switch
        {
            0 or 1 => $"{top} over {EnglishNumberWords.Cardinal(denominator)}",
            2 => top + (single ? " half" : " halves"),
            4 => top + (single ? " quarter" : " quarters"),
            _ => top + " " + EnglishNumberWords.Ordinal(denominator.ToString()) + (single ? "" : "s"),
        };
    }

    private static string SymbolWord(string symbol) => symbol.Trim() switch
    {
        "+" => "plus",
        "=" => "equals",
        "≥" => "greater than or equal to",
        "≤" => "less than or equal to",
        "≠" => "not equal to",
        "≈" => "approximately",
        "×" => "times",
        "÷" => "divided by",
        "&" => "and",
        "@" => "at",
        "~" => "to",
        ">" => "greater than",
        "<" => "less than",
        _ => symbol,
    };

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<!\d)(?<m>\d{1,2})/(?<d>\d{1,2})/(?<y>\d{4})(?!\d)")]
    private static partial Regex UsDate();

    [GeneratedRegex(@"\b(?<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?<d>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?:,?\s+(?<y>\d{4})\b)?")]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"(?<!\d)(?<h>\d{1,2}):(?<min>\d{2})(?::(?<s>\d{2}))?(?!\d)(?:\s*(?<ap>[AaPp])\.?[Mm]\.?(?![A-Za-z]))?")]
    private static partial Regex Time();

    [GeneratedRegex(@"(?<sym>[$€£¥])\s?" + NumberMatch.Pattern + @"(?:\s(?<scale>thousand|million|billion|trillion)\b)?")]
    private static partial Regex Money();

    [GeneratedRegex(@"(?<sign>(?<![A-Za-z0-9)])-)?" + NumberMatch.Pattern + @"\s?%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(?<n>\d+)(?:st|nd|rd|th)\b")]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"(?<=\d)-(?=\d)")]
    private static partial Regex Range();

    [GeneratedRegex(@"[=≥≤≠≈×÷&@]|(?<=[\d\s])\+(?=[\d\s])|(?<=\d\s?)[~<>](?=\s?\d)")]
    private static partial Regex Symbols();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
