using System.Text.Json;
using System.Text.Json.Serialization;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.SignalR;

/// <summary>Binds <c>Synthesize</c>'s argument from SignalR's JSON protocol (camelCase fields, enum values as the seed spells them).</summary>
internal sealed class SynthesisArgumentJsonConverter : JsonConverter<SynthesisArgument>
{
    public override SynthesisArgument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            ? SynthesisArgument.Bind(JsonRequestFields.Read(root))
            : SynthesisArgument.NotAnObject(JsonRequestFields.Value(root).KindName);
    }

    public override void Write(Utf8JsonWriter writer, SynthesisArgument value, JsonSerializerOptions options) =>
        throw new NotSupportedException("the hub only reads Synthesize arguments");
}
