using MessagePack;
using MessagePack.Formatters;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// Binds <c>Synthesize</c>'s argument from SignalR's MessagePack protocol. The map's keys are the camelCase names of
/// <see cref="Contracts.SynthesisRequest"/>'s <c>[Key]</c>s; values may be of any MessagePack type, so
/// <c>mode: "streaming"</c> from the JavaScript client, <c>"Streaming"</c> from .NET and <c>0</c> all bind, and a
/// value of the wrong type becomes an error naming its field rather than a deserialization failure.
/// </summary>
internal sealed class SynthesisArgumentFormatter : IMessagePackFormatter<SynthesisArgument>
{
    public static readonly SynthesisArgumentFormatter Instance = new();

    /// <summary>SignalR's own resolver with this formatter in front, for <c>MessagePackHubProtocolOptions.SerializerOptions</c>.</summary>
    public static MessagePackSerializerOptions Around(MessagePackSerializerOptions options) =>
        options.WithResolver(MessagePack.Resolvers.CompositeResolver.Create([Instance], [options.Resolver]));

    public SynthesisArgument Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            var kind = Value(ref reader).KindName;
            return SynthesisArgument.NotAnObject(kind);
        }

        var count = reader.ReadMapHeader();
        var fields = new Dictionary<string, WireValue>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
            {
                reader.Skip();
                reader.Skip();
                continue;
            }

            var name = reader.ReadString()!;
            fields[name] = Value(ref reader);
        }

        return SynthesisArgument.Bind(fields);
    }

    public void Serialize(ref MessagePackWriter writer, SynthesisArgument value, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("the hub only reads Synthesize arguments");

    private static WireValue Value(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return WireValue.Null;
            case MessagePackType.Boolean:
                return WireValue.OfBool(reader.ReadBoolean());
            case MessagePackType.String:
                return WireValue.OfString(reader.ReadString());
            case MessagePackType.Float:
                return WireValue.OfNumber(reader.ReadDouble());
            case MessagePackType.Integer:
                // uint64 above long.MaxValue: no field accepts it, but it is still a number.
                return reader.NextCode == MessagePackCode.UInt64 ? Unsigned(ref reader) : WireValue.OfInteger(reader.ReadInt64());
            default:
                var kind = reader.NextMessagePackType switch
                {
                    MessagePackType.Map => "object",
                    MessagePackType.Array => "array",
                    MessagePackType.Binary => "binary",
                    _ => "extension",
                };
                reader.Skip();
                return WireValue.OfOther(kind);
        }
    }

    private static WireValue Unsigned(ref MessagePackReader reader)
    {
        var value = reader.ReadUInt64();
        return value <= long.MaxValue ? WireValue.OfInteger((long)value) : WireValue.OfNumber(value);
    }
}
