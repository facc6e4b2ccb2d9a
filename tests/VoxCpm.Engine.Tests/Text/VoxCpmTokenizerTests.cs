using System.Text.Json;
using System.Text.Json.Nodes;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Text;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Text;

public class VoxCpmTokenizerTests
{
    public static TheoryData<string, string> GenerationCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string checkpoint in new[] { "v05", "v15", "v05bf16" })
        {
            foreach (string dir in FixtureCase.CaseDirectories(TinyFixtures.Checkpoint(checkpoint)))
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "case.json")));
                if (json.RootElement.TryGetProperty("tokenization", out _))
                {
                    data.Add(checkpoint, Path.GetFileName(dir));
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_checkpoint_has_generation_cases_to_check()
    {
        Assert.True(GenerationCases().Count >= 17);
    }

    [Theory]
    [MemberData(nameof(GenerationCases))]
    public void Raw_tokens_are_those_of_the_hugging_face_tokenizer(string checkpoint, string caseName) =>
        AssertTokenization(checkpoint, caseName, (tokenizer, text) => tokenizer.TokenizeRaw(text), "raw_tokens", "raw_ids", "target_raw_ids");

    [Theory]
    [MemberData(nameof(GenerationCases))]
    public void Chinese_multi_character_tokens_are_split_as_voxcpm_does(string checkpoint, string caseName) =>
        AssertTokenization(checkpoint, caseName, (tokenizer, text) => tokenizer.Tokenize(text), "final_tokens_after_voxcpm_split", "final_ids", "target_final_ids");

    /// <summary>The case's full text gives the recorded tokens and ids, and its target text the recorded target ids.</summary>
    private static void AssertTokenization(
        string checkpoint, string caseName, Func<VoxCpmTokenizer, string, TextTokens> tokenize, string tokensKey, string idsKey, string targetIdsKey)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        using var tokenizer = VoxCpmTokenizer.Load(fixture.CheckpointDirectory);
        JsonElement expected = fixture.Root.GetProperty("tokenization");

        TextTokens tokens = tokenize(tokenizer, expected.GetProperty("full_text").GetString()!);

        Assert.Equal(Strings(expected, tokensKey), tokens.Tokens);
        Assert.Equal(Ints(expected, idsKey), tokens.Ids);
        Assert.Equal(Ints(expected, targetIdsKey), tokenize(tokenizer, expected.GetProperty("target_text").GetString()!).Ids);
    }

    [Theory]
    [MemberData(nameof(GenerationCases))]
    public void Model_input_is_prompt_and_target_ids_then_audio_start(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        using var tokenizer = VoxCpmTokenizer.Load(fixture.CheckpointDirectory);
        JsonElement kwargs = fixture.Root.GetProperty("call_kwargs");
        string? prompt = kwargs.TryGetProperty("prompt_text", out JsonElement p) ? p.GetString() : null;

        ModelTextInput input = tokenizer.BuildModelInput(prompt, kwargs.GetProperty("text").GetString()!);

        JsonElement expected = fixture.Root.GetProperty("tokenization");
        Assert.Equal([.. Ints(expected, "final_ids"), VoxCpmTokenizer.AudioStartId], input.Ids);
        Assert.Equal(expected.GetProperty("target_text_length").GetInt32(), input.TargetTextLength);
        long[] modelTokens = fixture.Int64("model_input_text_tokens").Data;
        Assert.Equal(modelTokens.Take(input.Ids.Length).Select(v => (int)v), input.Ids);
        Assert.All(modelTokens.Skip(input.Ids.Length), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Component_prefill_ids_match_the_lm_prefill_case()
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case("v05", "lm_prefill"));
        using var tokenizer = VoxCpmTokenizer.Load(fixture.CheckpointDirectory);

        ModelTextInput input = tokenizer.BuildModelInput(null, fixture.Root.GetProperty("text").GetString()!);

        Assert.Equal(fixture.Int64("ids").Data.Select(v => (int)v), input.Ids);
    }

    [Fact]
    public void Only_the_post_processor_bos_is_removed_not_one_written_in_the_text()
    {
        using var tokenizer = VoxCpmTokenizer.Load(TinyFixtures.Checkpoint("v05"));

        Assert.Empty(tokenizer.TokenizeRaw("").Ids);
        TextTokens withBos = tokenizer.TokenizeRaw("<s>hi");
        Assert.Equal(1, withBos.Ids[0]);
        Assert.Equal("<s>", withBos.Tokens[0]);
        Assert.DoesNotContain(1, withBos.Ids.Skip(1));
        Assert.Equal(3, withBos.Ids.Length);
    }

    [Fact]
    public void Target_whitespace_is_collapsed_but_the_prompt_text_is_used_raw()
    {
        using var tokenizer = VoxCpmTokenizer.Load(TinyFixtures.Checkpoint("v05"));

        ModelTextInput spaced = tokenizer.BuildModelInput("a  b", "c\n\t d ");

        Assert.Equal([.. tokenizer.Tokenize("a  bc d ").Ids, VoxCpmTokenizer.AudioStartId], spaced.Ids);
        Assert.NotEqual(tokenizer.Tokenize("a bc d ").Ids.Length + 1, spaced.Ids.Length);
        Assert.Equal(tokenizer.Tokenize("c d ").Ids.Length, spaced.TargetTextLength);
        Assert.Equal("a b ", TargetTextCleanup.CollapseWhitespace("a\u3000\u001C b\n"));
    }

    [Fact]
    public void A_split_character_missing_from_the_vocabulary_becomes_unk()
    {
        // An added token "天乙" is a multi-character Chinese vocab entry whose second character has no id.
        string dir = Directory.CreateTempSubdirectory("voxcpm-tok").FullName;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyFixtures.Checkpoint("v05"), "tokenizer.json")))!;
            int next = json["model"]!["vocab"]!.AsObject().Count;
            json["added_tokens"]!.AsArray().Add(new JsonObject
            {
                ["id"] = next,
                ["content"] = "天乙",
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = false,
            });
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json.ToJsonString());
            using var tokenizer = VoxCpmTokenizer.Load(dir);

            TextTokens tokens = tokenizer.Tokenize("天乙");

            Assert.Equal(["天", "乙"], tokens.Tokens);
            Assert.Equal([449, 0], tokens.Ids);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_same_ids()
    {
        using var tokenizer = VoxCpmTokenizer.Load(TinyFixtures.Checkpoint("v05"));
        string[] texts = ["Hello world, this is a voice test.", "你好世界，我们今天测试语音合成。", "VoxCPM说话很好, the model is 中国人 speech! 天气好"];
        int[][] expected = [.. texts.Select(t => tokenizer.Tokenize(t).Ids)];

        Parallel.For(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
            Assert.Equal(expected[i % 3], tokenizer.Tokenize(texts[i % 3]).Ids));
    }

    private static string[] Strings(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!)];

    private static int[] Ints(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32())];
}
