using VoxCpm.Engine.Text;

namespace VoxCpm.Engine.Tests.Text;

public class TextSegmenterTests
{
    [Fact]
    public void Short_text_is_one_segment()
    {
        Assert.Equal(["Hello world."], TextSegmenter.Split("Hello world."));
    }

    [Fact]
    public void Sentences_are_packed_up_to_the_limit()
    {
        var segments = TextSegmenter.Split("One two three. Four five six. Seven eight nine.", maxChars: 30);
        Assert.Equal(["One two three. Four five six.", "Seven eight nine."], segments);
    }

    [Fact]
    public void Chinese_sentences_split_at_full_width_marks()
    {
        var segments = TextSegmenter.Split("今天天气很好。我们去公园散步吧！你觉得怎么样？", maxChars: 10);
        Assert.Equal(["今天天气很好。", "我们去公园散步吧！", "你觉得怎么样？"], segments);
    }

    [Theory]
    [InlineData("Pi is 3.14159 and e is 2.71828, both irrational.")]
    [InlineData("Mr. Smith met Dr. Jones at 5 p.m. yesterday.")]
    [InlineData("The U.S. economy grew, e.g. in services.")]
    public void Numbers_and_abbreviations_do_not_end_a_sentence(string text)
    {
        Assert.Single(TextSegmenter.Sentences(text));
    }

    [Fact]
    public void A_long_sentence_is_cut_at_clauses_and_never_exceeds_the_limit()
    {
        string text = string.Join("，", Enumerable.Repeat("我们今天测试语音合成的效果", 12)) + "。";
        var segments = TextSegmenter.Split(text, maxChars: 40);
        Assert.All(segments, s => Assert.InRange(s.Length, 1, 40));
        Assert.Equal(text, string.Concat(segments));
        Assert.All(segments.Take(segments.Count - 1), s => Assert.EndsWith("，", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Thousands_separators_are_not_clause_breaks()
    {
        string text = "The city has 1,250,000 people and " + string.Join(" ", Enumerable.Repeat("many more words here", 6));
        var segments = TextSegmenter.Split(text, maxChars: 40);
        Assert.Contains(segments, s => s.Contains("1,250,000", StringComparison.Ordinal));
    }

    [Fact]
    public void Closing_quotes_stay_with_their_sentence()
    {
        Assert.Equal(["他说：“你好。”", "然后走了。"], TextSegmenter.Split("他说：“你好。”然后走了。", maxChars: 8));
    }

    [Fact]
    public void Mixed_text_of_two_thousand_characters_keeps_every_character_in_order()
    {
        string unit = "VoxCPM说话很好, the model is 中国人 speech! 天气好。Hello world, this is a test. ";
        string text = string.Concat(Enumerable.Repeat(unit, 2000 / unit.Length + 1))[..2000];
        var segments = TextSegmenter.Split(text);
        Assert.All(segments, s => Assert.InRange(s.Length, 1, TextSegmenter.DefaultMaxChars));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(segments).Replace(" ", "", StringComparison.Ordinal));
        Assert.True(segments.Count >= 2000 / TextSegmenter.DefaultMaxChars);
    }
}
