using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>The number syntax both normalizers share: optional thousands separators, optional decimals.</summary>
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
}
