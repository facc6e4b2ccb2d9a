using VoxCpm.Engine.Text;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    // English: cardinals the inflect way.
    [InlineData("I have 3 apples.", "I have three apples.")]
    [InlineData("It costs 123 points", "It costs one hundred and twenty-three points")]
    [InlineData("1005 people", "one thousand and five people")]
    [InlineData("1,234,567 stars", "one million, two hundred and thirty-four thousand, five hundred and sixty-seven stars")]
    [InlineData("Pi is 3.14", "Pi is three point one four")]
    [InlineData("The value is 23.45", "The value is twenty-three point four five")]
    [InlineData("It was -5 outside", "It was minus five outside")]
    [InlineData("0 errors", "zero errors")]
    [InlineData("Agent 007", "Agent zero zero seven")]
    [InlineData("1000000 users", "one million users")]
    [InlineData("101000 words", "one hundred and one thousand words")]
    // English: ordinals, percentages, money.
    [InlineData("the 1st and 2nd place", "the first and second place")]
    [InlineData("his 23rd birthday", "his twenty-third birthday")]
    [InlineData("the 101st time", "the one hundred and first time")]
    [InlineData("50% off", "fifty percent off")]
    [InlineData("a 3.5% rise", "a three point five percent rise")]
    [InlineData("It costs $5.", "It costs five dollars.")]
    [InlineData("$1 only", "one dollar only")]
    [InlineData("$3.50 each", "three dollars and fifty cents each")]
    [InlineData("$0.99", "ninety-nine cents")]
    [InlineData("€20 and £1", "twenty euros and one pound")]
    [InlineData("$5 million", "five million dollars")]
    // English: dates and times.
    [InlineData("on 2024-05-01", "on May first, twenty twenty-four")]
    [InlineData("May 1, 2024", "May first, twenty twenty-four")]
    [InlineData("Dec 25", "December twenty-fifth")]
    [InlineData("on 7/4/1999", "on July fourth, nineteen ninety-nine")]
    [InlineData("born 2005-03-09", "born March ninth, two thousand five")]
    [InlineData("at 12:30", "at twelve thirty")]
    [InlineData("at 9:05 pm", "at nine oh five p m")]
    [InlineData("at 7:00", "at seven o'clock")]
    // English: units, fractions and symbols.
    [InlineData("5 km away", "five kilometers away")]
    [InlineData("1 kg of rice", "one kilogram of rice")]
    [InlineData("It is 25°C", "It is twenty-five degrees Celsius")]
    [InlineData("-3°C tonight", "minus three degrees Celsius tonight")]
    [InlineData("120 m² flat", "one hundred and twenty square meters flat")]
    [InlineData("60 km/h", "sixty kilometers per hour")]
    [InlineData("3/4 cup", "three quarters cup")]
    [InlineData("2 + 2 = 4", "two plus two equals four")]
    [InlineData("x ≥ 5", "x greater than or equal to five")]
    [InlineData("3 × 4 ÷ 2", "three times four divided by two")]
    [InlineData("Tom & Jerry", "Tom and Jerry")]
    [InlineData("pages 5-10", "pages five to ten")]
    [InlineData("10 - 3", "ten minus three")]
    [InlineData("a ≈ 7", "a approximately seven")]
    // English: cleanup.
    [InlineData("**Hello** [world](http://x.y) 😀", "**Hello** world")]
    [InlineData("# Title", "Title")]
    [InlineData("“quoted”", "\"quoted\"")]
    // Chinese.
    [InlineData("我有3个苹果", "我有三个苹果")]
    [InlineData("一共123元", "一共一百二十三元")]
    [InlineData("2005人", "两千零五人")]
    [InlineData("10010次", "一万零一十次")]
    [InlineData("15岁", "十五岁")]
    [InlineData("圆周率是3.14", "圆周率是三点一四")]
    [InlineData("打5折, 便宜50%", "打五折,便宜百分之五十")]
    [InlineData("2024年5月1日", "二〇二四年五月一日")]
    [InlineData("日期2024-05-01", "日期二〇二四年五月一日")]
    [InlineData("时间12:30", "时间十二点三十分")]
    [InlineData("8:05出发", "八点零五分出发")]
    [InlineData("第3名", "第三名")]
    [InlineData("价格¥100", "价格一百元")]
    [InlineData("花了$5", "花了五美元")]
    [InlineData("气温-5℃", "气温负五摄氏度")]
    [InlineData("跑了5km", "跑了五千米")]
    [InlineData("面积120m²", "面积一百二十平方米")]
    [InlineData("算式1+1=2", "算式一加一等于二")]
    [InlineData("当x≥5时", "当x大于等于五时")]
    [InlineData("3/4的人", "四分之三的人")]
    [InlineData("电话13800138000", "电话一三八零零一三八零零零")]
    [InlineData("人口1,400,000,000", "人口十四亿")]
    [InlineData("3~5天", "三到五天")]
    [InlineData("【注意】  今天", " 注意 今天")]
    [InlineData("你好 world 和 hello world", "你好world和hello world")]
    [InlineData("VoxCPM说话很好, the model has 2 heads", "VoxCPM说话很好, the model has二heads")]
    [InlineData("今天😀天气好", "今天天气好")]
    public void Normalizes(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("Hello", "en")]
    [InlineData("Hello 你好", "zh")]
    [InlineData("こんにちは", "en")]
    [InlineData("", "en")]
    public void Language_is_zh_when_any_cjk_ideograph_is_present(string text, string language)
    {
        Assert.Equal(language, TextNormalizer.DetectLanguage(text));
    }

    [Fact]
    public void Model_input_normalizes_only_the_target_text_when_asked()
    {
        using var tokenizer = VoxCpmTokenizer.Load(TinyFixtures.Checkpoint("v05"));

        ModelTextInput normalized = tokenizer.BuildModelInput("I have 2", " apples: 3", normalize: true);

        Assert.Equal([.. tokenizer.Tokenize("I have 2" + "apples: three").Ids, VoxCpmTokenizer.AudioStartId], normalized.Ids);
    }
}
