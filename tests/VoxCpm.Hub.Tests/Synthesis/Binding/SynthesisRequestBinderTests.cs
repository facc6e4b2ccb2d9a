using System.Buffers;
using System.Text.Json;
using MessagePack;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.SignalR;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.Tests.Synthesis.Binding;

/// <summary>One binder for every wire: raw JSON params, SignalR JSON and SignalR MessagePack read a field the same way.</summary>
public sealed class SynthesisRequestBinderTests
{
    private static readonly JsonSerializerOptions s_signalRJson = new(JsonSerializerDefaults.Web) { Converters = { new SynthesisArgumentJsonConverter() } };

    [Theory]
    [InlineData("streaming", SynthesisMode.Streaming)]
    [InlineData("non_streaming", SynthesisMode.NonStreaming)]
    [InlineData("Streaming", SynthesisMode.Streaming)]
    [InlineData("NonStreaming", SynthesisMode.NonStreaming)]
    public void Mode_is_read_in_the_seed_spelling_and_as_the_CSharp_name_on_every_wire(string mode, SynthesisMode expected)
    {
        Assert.Equal(expected, FromRawJson($$"""{"text":"hi","mode":"{{mode}}"}""").Mode);
        Assert.Equal(expected, FromSignalRJson($$"""{"text":"hi","mode":"{{mode}}"}""").Request!.Mode);
        Assert.Equal(expected, FromMessagePack(Field("mode", (ref MessagePackWriter w) => w.Write(mode))).Request!.Mode);
    }

    [Fact]
    public void Mode_as_the_enum_number_binds_and_other_numbers_are_refused_naming_mode()
    {
        Assert.Equal(SynthesisMode.NonStreaming, FromMessagePack(Field("mode", (ref MessagePackWriter w) => w.Write(1))).Request!.Mode);
        Assert.Equal(SynthesisMode.Streaming, FromSignalRJson("""{"text":"hi","mode":0}""").Request!.Mode);
        var problem = FromMessagePack(Field("mode", (ref MessagePackWriter w) => w.Write(7))).Problem!;
        Assert.Equal("mode", problem.Field);
        Assert.Contains("'streaming' or 'non_streaming' (got 7)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_integer_written_as_a_float_is_that_integer_and_a_fraction_is_refused_naming_the_field()
    {
        Assert.Equal(10, FromRawJson("""{"text":"hi","inference_timesteps":10.0}""").InferenceTimesteps);
        Assert.Equal(42, FromRawJson("""{"text":"hi","seed":42.0}""").Seed);
        Assert.Equal(12, FromSignalRJson("""{"text":"hi","inferenceTimesteps":12.0}""").Request!.InferenceTimesteps);

        var packed = FromMessagePack(Field("inferenceTimesteps", (ref MessagePackWriter w) => w.Write(10.0)), Field("seed", (ref MessagePackWriter w) => w.Write(3.0)));
        Assert.Equal(10, packed.Request!.InferenceTimesteps);
        Assert.Equal(3, packed.Request.Seed);

        var fraction = FromMessagePack(Field("inferenceTimesteps", (ref MessagePackWriter w) => w.Write(2.5)));
        Assert.Equal("inferenceTimesteps", fraction.Problem!.Field);
        Assert.Contains("must be an integer (got 2.5)", fraction.Problem.Message, StringComparison.Ordinal);
        var raw = Assert.Throws<RequestFieldException>(() => FromRawJson("""{"text":"hi","seed":1.5}"""));
        Assert.Equal("seed", raw.Field);
    }

    [Fact]
    public void A_field_of_the_wrong_kind_is_a_problem_naming_it_never_an_exception()
    {
        var packed = FromMessagePack(Field("cfgValue", (ref MessagePackWriter w) => w.Write("high")));
        Assert.Null(packed.Request);
        Assert.Equal("cfgValue", packed.Problem!.Field);
        Assert.Equal("cfgValue must be a number (got string)", packed.Problem.Message);

        var json = FromSignalRJson("""{"text":"hi","normalize":"yes"}""");
        Assert.Equal("normalize", json.Problem!.Field);
        Assert.Contains("true or false", json.Problem.Message, StringComparison.Ordinal);

        var notAnObject = FromSignalRJson("\"hello\"");
        Assert.Equal("request", notAnObject.Problem!.Field);
        var binary = FromMessagePack(Field("voiceId", (ref MessagePackWriter w) => w.Write(new byte[] { 1, 2 })));
        Assert.Equal("voiceId must be a string or null (got binary)", binary.Problem!.Message);
    }

    [Fact]
    public void The_dotnet_clients_MessagePack_request_binds_to_the_same_request()
    {
        var request = new SynthesisRequest { Text = "hello", Mode = SynthesisMode.NonStreaming, CfgValue = 1.5, InferenceTimesteps = 4, Seed = 9, VoiceId = Guid.NewGuid(), RetryBadcase = false, VoiceDescription = "a calm voice", ReferenceWavUrl = "https://example.com/a.wav" };
        var options = SynthesisArgumentFormatter.Around(MessagePackSerializerOptions.Standard.WithResolver(
            MessagePack.Resolvers.CompositeResolver.Create(MessagePack.Resolvers.DynamicEnumAsStringResolver.Instance, MessagePack.Resolvers.StandardResolver.Instance)));
        var bytes = MessagePackSerializer.Serialize(request, options);
        Assert.Equal(request, MessagePackSerializer.Deserialize<SynthesisArgument>(bytes, options).Request);
    }

    [Fact]
    public void The_voxcpm2_fields_bind_from_the_raw_spelling()
    {
        var request = FromRawJson("""{"text":"hi","voice_description":"a calm voice","reference_wav_url":"https://example.com/a.wav"}""");
        Assert.Equal("a calm voice", request.VoiceDescription);
        Assert.Equal("https://example.com/a.wav", request.ReferenceWavUrl);
    }

    private static SynthesisRequest FromRawJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SynthesisRequestBinder.Bind(JsonRequestFields.Read(document.RootElement), RequestFieldNames.SnakeCase);
    }

    private static SynthesisArgument FromSignalRJson(string json) => JsonSerializer.Deserialize<SynthesisArgument>(json, s_signalRJson)!;

    private static (string Key, WriteValue Write) Field(string key, WriteValue write) => (key, write);

    private delegate void WriteValue(ref MessagePackWriter writer);

    private static SynthesisArgument FromMessagePack(params (string Key, WriteValue Write)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(fields.Length + 1);
        writer.Write("text");
        writer.Write("hi");
        foreach (var (key, write) in fields)
        {
            writer.Write(key);
            write(ref writer);
        }

        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        return SynthesisArgumentFormatter.Instance.Deserialize(ref reader, MessagePackSerializerOptions.Standard);
    }
}
