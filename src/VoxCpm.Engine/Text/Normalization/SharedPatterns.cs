using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Text.Normalization;

/// <summary>
/// The rules whose syntax is the same in Chinese and English text; only the words each normalizer puts in their place
/// differ. Groups follow <see cref="NumberMatch.Pattern"/> (<c>int</c>, <c>frac</c>) plus the ones named below.
/// </summary>
internal static partial class SharedPatterns
{
    /// <summary>An amount with a unit of <see cref="Units"/> (<c>-3.5 kg</c>); groups <c>sign</c> and <c>unit</c>.</summary>
    [GeneratedRegex(@"(?<sign>(?<![A-Za-z0-9)])-)?(?<![\d.])" + NumberMatch.Pattern + @"\s?(?<unit>" + Units.Alternation + @")(?![A-Za-z0-9²³])")]
    public static partial Regex UnitAmount();

    /// <summary>A plain fraction <c>a/b</c> that is not part of a date or a path; groups <c>a</c> and <c>b</c>.</summary>
    [GeneratedRegex(@"(?<![\d/])(?<a>\d+)/(?<b>\d+)(?![\d/])")]
    public static partial Regex Fraction();

    /// <summary>A minus written between spaces between two numbers (<c>5 - 3</c>), not a range.</summary>
    [GeneratedRegex(@"(?<=\d)\s+-\s+(?=\d)")]
    public static partial Regex SpacedMinus();

    /// <summary>Any number left, with its sign (a hyphen not after a word or a number); group <c>sign</c>.</summary>
    [GeneratedRegex(@"(?<sign>(?<![A-Za-z0-9)])-)?(?<![\d.])" + NumberMatch.Pattern + @"(?!\d)")]
    public static partial Regex SignedNumber();
}
