using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>
/// How one language reads a number matched by <see cref="NumberMatch.Pattern"/>: with decimals as a decimal; a code
/// (leading zero), or a run of at least <paramref name="DigitByDigitFrom"/> digits written without separators (phone
/// numbers, ids), digit by digit; anything else as a cardinal.
/// </summary>
internal sealed record NumberReading(
    Func<string, string> Cardinal,
    Func<string, string, string> Decimal,
    Func<string, string> DigitByDigit,
    int DigitByDigitFrom = int.MaxValue)
{
    public string Read(Match m)
    {
        string integer = NumberMatch.IntegerDigits(m);
        string? fraction = NumberMatch.Fraction(m);
        if (fraction is not null)
        {
            return Decimal(integer, fraction);
        }

        return NumberMatch.IsCode(integer) || (integer.Length >= DigitByDigitFrom && !m.Groups["int"].Value.Contains(',', StringComparison.Ordinal))
            ? DigitByDigit(integer)
            : Cardinal(integer);
    }
}
