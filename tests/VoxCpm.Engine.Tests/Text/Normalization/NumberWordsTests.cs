using VoxCpm.Engine.Text.Normalization;

namespace VoxCpm.Engine.Tests.Text.Normalization;

public class NumberWordsTests
{
    [Theory]
    [InlineData("0", "零")]
    [InlineData("10", "十")]
    [InlineData("12", "十二")]
    [InlineData("20", "二十")]
    [InlineData("110", "一百一十")]
    [InlineData("200", "两百")]
    [InlineData("1050", "一千零五十")]
    [InlineData("2000", "两千")]
    [InlineData("100000", "十万")]
    [InlineData("1000001", "一百万零一")]
    [InlineData("100010000", "一亿零一万")]
    [InlineData("22000", "两万二千")]
    public void Chinese_cardinals(string digits, string words) => Assert.Equal(words, ChineseNumberWords.Cardinal(digits));

    [Theory]
    [InlineData("11", "eleven")]
    [InlineData("40", "forty")]
    [InlineData("100", "one hundred")]
    [InlineData("1100", "one thousand, one hundred")]
    [InlineData("2024", "two thousand and twenty-four")]
    [InlineData("1000500", "one million, five hundred")]
    [InlineData("1000001", "one million and one")]
    public void English_cardinals_follow_inflect(string digits, string words) => Assert.Equal(words, EnglishNumberWords.Cardinal(digits));

    [Theory]
    [InlineData(1999, "nineteen ninety-nine")]
    [InlineData(2024, "twenty twenty-four")]
    [InlineData(2000, "two thousand")]
    [InlineData(1900, "nineteen hundred")]
    [InlineData(1905, "nineteen oh five")]
    [InlineData(2010, "twenty ten")]
    public void English_years(int year, string words) => Assert.Equal(words, EnglishNumberWords.Year(year));

    [Theory]
    [InlineData("12", "twelfth")]
    [InlineData("20", "twentieth")]
    [InlineData("3", "third")]
    [InlineData("1000", "one thousandth")]
    public void English_ordinals(string digits, string words) => Assert.Equal(words, EnglishNumberWords.Ordinal(digits));
}
