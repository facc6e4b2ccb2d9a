using System.Globalization;

namespace VoxCpm.Hub.Synthesis.Binding;

/// <summary>What a wire format (JSON, MessagePack) carried for one request field, before it is bound to a type.</summary>
internal enum WireKind
{
    Null,
    String,
    Number,
    Bool,

    /// <summary>An object, array, binary or extension value: never a valid request field.</summary>
    Other,
}

/// <summary>
/// One field value as the client wrote it. Numbers keep their exact integer when the wire held one, and their
/// written form for error messages, so <c>10.0</c> and <c>10</c> bind alike while <c>2.5</c> is reported as written.
/// </summary>
internal readonly record struct WireValue(WireKind Kind, string? Text = null, double Number = 0, long? Integer = null, bool Bool = false, string? Description = null)
{
    public static WireValue Null { get; } = new(WireKind.Null);

    public static WireValue OfString(string? text) => text is null ? Null : new(WireKind.String, text);

    /// <summary>A string the wire could not decode (e.g. JSON's unpaired surrogate escape).</summary>
    public static WireValue InvalidText { get; } = new(WireKind.String, Description: "invalid text");

    public static WireValue OfInteger(long value) => new(WireKind.Number, Number: value, Integer: value, Description: value.ToString(CultureInfo.InvariantCulture));

    public static WireValue OfNumber(double value, string? written = null) =>
        new(WireKind.Number, Number: value, Description: written ?? value.ToString("R", CultureInfo.InvariantCulture));

    public static WireValue OfBool(bool value) => new(WireKind.Bool, Bool: value);

    /// <summary>A value of a kind no field accepts, described as JSON would name it (object, array, binary).</summary>
    public static WireValue OfOther(string kind) => new(WireKind.Other, Description: kind);

    /// <summary>The JSON name of the value's kind, as error messages say it: string, number, true, false, null, object, array.</summary>
    public string KindName => Kind switch
    {
        WireKind.Null => "null",
        WireKind.String => "string",
        WireKind.Number => "number",
        WireKind.Bool => Bool ? "true" : "false",
        _ => Description ?? "object",
    };
}
