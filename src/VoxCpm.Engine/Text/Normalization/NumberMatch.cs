using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>The number syntax both normalizers share: optional thousands separators, optional decimals; and the
/// checks both make on the numbers of dates and times.</summary>
internal static class NumberMatch
{
    /// <summary>Groups: <c>int</c> (digits, maybe with ",ddd" groups), <c>frac</c> (decimals, optional).</summary>
    public const string Pattern = @"(?<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?<frac>\d+))?";

    public static string IntegerDigits(Match m) => m.Groups["int"].Value.Replace(",", "", StringComparison.Ordinal);

    public static string? Fraction(Match m) => m.Groups["frac"].Success ? m.Groups["frac"].Value : null;

    /// <summary>Integers with a leading zero ("007", "0123") are codes, read digit by digit.</summary>
    public static bool IsCode(string integerDigits) => integerDigits.Length > 1 && integerDigits[0] == '0';

    public static bool IsOne(Match m) => IntegerDigits(m) == "1" && Fraction(m) is null;

    public static bool IsNegative(Match m) => m.Groups["sign"].Success && m.Groups["sign"].Length > 0;

    /// <summary>
    /// The hour and minute of a clock time (groups <c>h</c>, <c>min</c>); false when they cannot be a time of day, and
    /// the text then stays as written.
    /// </summary>
    public static bool TryClock(Match m, out int hour, out int minute)
    {
        hour = int.Parse(m.Groups["h"].Value, provider: null);
        minute = int.Parse(m.Groups["min"].Value, provider: null);
        return hour <= 24 && minute <= 59;
    }

    /// <summary>Whether a month and a day can name a calendar day (the day is not checked against the month).</summary>
    public static bool IsCalendarDay(int month, int day) => month is >= 1 and <= 12 && day is >= 1 and <= 31;
}
