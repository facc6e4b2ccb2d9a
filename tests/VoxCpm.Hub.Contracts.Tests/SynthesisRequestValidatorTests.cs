namespace VoxCpm.Hub.Contracts.Tests;

public class SynthesisRequestValidatorTests
{
    private static readonly SynthesisLimits Limits = new(MaxTextLength: 100);

    private static ValidationError? Validate(SynthesisRequest request) => SynthesisRequestValidator.Validate(request, Limits);

    [Fact]
    public void Accepts_the_seed_clients_minimal_request()
    {
        Assert.Null(Validate(new SynthesisRequest { Text = "Hello, this is a test!" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Requires_text(string text)
    {
        var error = Validate(new SynthesisRequest { Text = text });
        Assert.Equal("text", error?.Field);
    }

    [Fact]
    public void Names_the_text_limit_and_its_setting()
    {
        var error = Validate(new SynthesisRequest { Text = new string('a', 101) });
        Assert.NotNull(error);
        Assert.Equal("text", error.Field);
        Assert.Contains("101", error.Message, StringComparison.Ordinal);
        Assert.Contains("100", error.Message, StringComparison.Ordinal);
        Assert.Contains("TTS_MAX_TEXT_LENGTH", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.09)]
    [InlineData(10.01)]
    [InlineData(double.NaN)]
    public void Refuses_cfg_value_outside_the_seed_range(double cfg)
    {
        var error = Validate(new SynthesisRequest { Text = "hi", CfgValue = cfg });
        Assert.Equal("cfg_value", error?.Field);
        Assert.Contains("0.1", error!.Message, StringComparison.Ordinal);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(10.0)]
    public void Accepts_cfg_value_at_the_edges(double cfg)
    {
        Assert.Null(Validate(new SynthesisRequest { Text = "hi", CfgValue = cfg }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Refuses_inference_timesteps_outside_1_to_50(int steps)
    {
        var error = Validate(new SynthesisRequest { Text = "hi", InferenceTimesteps = steps });
        Assert.Equal("inference_timesteps", error?.Field);
        Assert.Contains("50", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_control_characters_in_text()
    {
        Assert.Equal("text", Validate(new SynthesisRequest { Text = "a\u0000b" })?.Field);
        Assert.Null(Validate(new SynthesisRequest { Text = "line one\nline two\tend" }));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/a.wav")]
    public void Refuses_prompt_urls_that_are_not_http(string url)
    {
        var error = Validate(new SynthesisRequest { Text = "hi", PromptWavUrl = url, PromptText = "x" });
        Assert.Equal("prompt_wav_url", error?.Field);
    }

    [Fact]
    public void Requires_the_transcript_with_reference_audio()
    {
        var error = Validate(new SynthesisRequest { Text = "hi", PromptWavUrl = "https://example.com/a.wav" });
        Assert.Equal("prompt_text", error?.Field);
    }
}
