using VoxCpm.Engine.Text;

namespace VoxCpm.Engine.Tests.Text;

public class IncrementalPhraseCutterTests
{
    [Fact]
    public void A_sentence_is_cut_once_the_next_word_arrives()
    {
        var cutter = new IncrementalPhraseCutter();
        Assert.Empty(cutter.Append("Hello there."));
        Assert.Equal(["Hello there."], cutter.Append(" How"));
        Assert.Equal("How".Length, cutter.PendingLength); // the space went with the sentence
    }

    [Fact]
    public void A_space_after_the_full_stop_confirms_the_end()
    {
        var cutter = new IncrementalPhraseCutter();
        Assert.Equal(["Hello there."], cutter.Append("Hello there. "));
    }

    [Theory]
    [InlineData("Pi is 3", ".", "14 today. ", "Pi is 3.14 today.")]
    [InlineData("I met Mr", ".", " Smith yesterday. ", "I met Mr. Smith yesterday.")]
    [InlineData("It costs 1", ",", "000 dollars, which is a lot. ", "It costs 1,000 dollars, which is a lot.")]
    public void A_possible_end_inside_numbers_and_abbreviations_is_not_cut(string first, string second, string third, string expected)
    {
        var cutter = new IncrementalPhraseCutter();
        Assert.Empty(cutter.Append(first));
        Assert.Empty(cutter.Append(second));
        Assert.Equal([expected], cutter.Append(third));
    }

    [Fact]
    public void Word_by_word_english_gives_the_sentences_in_order()
    {
        var cutter = new IncrementalPhraseCutter();
        var phrases = new List<string>();
        foreach (var word in "The weather is nice today. Shall we go for a walk? I would like that!".Split(' '))
        {
            phrases.AddRange(cutter.Append(word + " "));
        }

        phrases.AddRange(cutter.Flush());
        Assert.Equal(["The weather is nice today.", "Shall we go for a walk?", "I would like that!"], phrases);
    }

    [Fact]
    public void Chinese_characters_one_at_a_time_cut_at_full_width_marks()
    {
        var cutter = new IncrementalPhraseCutter();
        var phrases = new List<string>();
        foreach (var c in "今天天气很好。我们去公园散步吧！你觉得怎么样？")
        {
            phrases.AddRange(cutter.Append(c.ToString()));
        }

        Assert.Equal(["今天天气很好。", "我们去公园散步吧！"], phrases);
        Assert.Equal("你觉得怎么样？", cutter.TakeAtPause());
        Assert.Equal(0, cutter.PendingLength);
    }

    [Fact]
    public void A_long_clause_is_cut_at_its_comma_but_a_short_one_is_not()
    {
        var cutter = new IncrementalPhraseCutter(new PhraseCutterSettings(MaxPhraseChars: 120, MinClauseChars: 20));
        Assert.Empty(cutter.Append("Well, you know, "));
        Assert.Equal(["Well, you know, when the rain stops,"], cutter.Append("when the rain stops, we"));
    }

    [Fact]
    public void Chinese_clause_marks_cut_long_clauses()
    {
        var cutter = new IncrementalPhraseCutter(new PhraseCutterSettings(MaxPhraseChars: 120, MinClauseChars: 8));
        Assert.Equal(["虽然今天的天气不太好，"], cutter.Append("虽然今天的天气不太好，但是我们"));
    }

    [Fact]
    public void Text_without_any_mark_is_cut_at_a_space_when_it_reaches_the_cap()
    {
        var cutter = new IncrementalPhraseCutter(new PhraseCutterSettings(MaxPhraseChars: 20, MinClauseChars: 8));
        var phrases = cutter.Append("one two three four five six seven");
        Assert.Equal(["one two three four"], phrases);
        Assert.Equal("five six seven".Length, cutter.PendingLength);
    }

    [Fact]
    public void Unbroken_text_is_cut_at_the_cap_without_splitting_a_surrogate_pair()
    {
        var cutter = new IncrementalPhraseCutter(new PhraseCutterSettings(MaxPhraseChars: 9, MinClauseChars: 4));
        var phrases = cutter.Append("abcdefgh😀xyz");
        Assert.Equal(["abcdefgh"], phrases);
        Assert.Equal("😀xyz".Length, cutter.PendingLength);
    }

    [Fact]
    public void A_pause_takes_text_ending_at_a_mark_and_leaves_a_half_written_phrase()
    {
        var cutter = new IncrementalPhraseCutter();
        cutter.Append("Thinking about it");
        Assert.Null(cutter.TakeAtPause());
        cutter.Append(" again.");
        Assert.Equal("Thinking about it again.", cutter.TakeAtPause());
        Assert.Null(cutter.TakeAtPause());
    }

    [Fact]
    public void Flush_speaks_everything_left_in_capped_phrases()
    {
        var cutter = new IncrementalPhraseCutter(new PhraseCutterSettings(MaxPhraseChars: 12, MinClauseChars: 8));
        cutter.Append("and then");
        Assert.Equal(["and then"], cutter.Flush());
        Assert.Empty(cutter.Flush());
    }
}
