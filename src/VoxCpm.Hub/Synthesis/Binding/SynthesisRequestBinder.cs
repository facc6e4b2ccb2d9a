using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis.Binding;

/// <summary>
/// Binds the fields of a request, as any wire carried them, to a <see cref="SynthesisRequest"/>. Only kinds are
/// checked here, the same way for every wire (a field of the wrong kind is refused naming the field and what it
/// accepts); ranges and limits are the one validator's job. Unknown fields are ignored, as the seed server does.
/// </summary>
internal static class SynthesisRequestBinder
{
    /// <summary>The spellings <c>mode</c> accepts: the seed protocol's, the C# enum names, and 0/1 (the enum's values).</summary>
    public const string ModeValues = "'streaming' or 'non_streaming'";

    public static SynthesisRequest Bind(IReadOnlyDictionary<string, WireValue> fields, RequestFieldNames names)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(names);
        var text = fields.TryGetValue(names.Text, out var t) && t.Kind != WireKind.Null
            ? (t.Kind == WireKind.String ? Text(t, names.Text) : throw new RequestFieldException(names.Text, $"{names.Text} must be a string (got {t.KindName})"))
            : throw new RequestFieldException(names.Text, $"{names.Text} is required");
        var defaults = new SynthesisRequest();
        return new SynthesisRequest
        {
            Text = text,
            Mode = Mode(Optional(fields, names.Mode), names.Mode),
            PromptWavUrl = OptionalString(fields, names.PromptWavUrl),
            PromptText = OptionalString(fields, names.PromptText),
            VoiceId = OptionalString(fields, names.VoiceId) is { } voice
                ? (Guid.TryParse(voice, out var id) ? id : throw new RequestFieldException(names.VoiceId, $"{names.VoiceId} must be the id (a UUID) of a saved voice"))
                : null,
            CfgValue = OptionalNumber(fields, names.CfgValue) ?? defaults.CfgValue,
            InferenceTimesteps = OptionalInteger(fields, names.InferenceTimesteps) is { } steps
                ? (int)Math.Clamp(steps, int.MinValue, int.MaxValue)
                : defaults.InferenceTimesteps,
            Normalize = OptionalBool(fields, names.Normalize) ?? defaults.Normalize,
            Denoise = OptionalBool(fields, names.Denoise) ?? defaults.Denoise,
            RetryBadcase = OptionalBool(fields, names.RetryBadcase) ?? defaults.RetryBadcase,
            Seed = OptionalInteger(fields, names.Seed),
            AudioFormat = OptionalString(fields, names.AudioFormat),
            VoiceDescription = OptionalString(fields, names.VoiceDescription),
            ReferenceWavUrl = OptionalString(fields, names.ReferenceWavUrl),
        };
    }

    /// <summary>
    /// <c>streaming</c> / <c>non_streaming</c> as the seed protocol spells them; the C# names (<c>Streaming</c>,
    /// <c>NonStreaming</c>) that .NET serializers write, and the enum's numbers 0 and 1 (docs/signalr.md), are read too.
    /// </summary>
    private static SynthesisMode Mode(WireValue? value, string name) => value switch
    {
        null => SynthesisMode.Streaming,
        { Kind: WireKind.String, Text: "streaming" or "Streaming" } => SynthesisMode.Streaming,
        { Kind: WireKind.String, Text: "non_streaming" or "NonStreaming" } => SynthesisMode.NonStreaming,
        { Kind: WireKind.Number, Integer: 0 } => SynthesisMode.Streaming,
        { Kind: WireKind.Number, Integer: 1 } => SynthesisMode.NonStreaming,
        { Kind: WireKind.String } v => throw new RequestFieldException(name, $"{name} must be {ModeValues} (got '{Truncate(Text(v, name))}')"),
        { } v => throw new RequestFieldException(name, $"{name} must be {ModeValues} (got {Describe(v)})"),
    };

    private static string? OptionalString(IReadOnlyDictionary<string, WireValue> fields, string name) => Optional(fields, name) is { } value
        ? (value.Kind == WireKind.String ? Text(value, name) : throw new RequestFieldException(name, $"{name} must be a string or null (got {value.KindName})"))
        : null;

    private static double? OptionalNumber(IReadOnlyDictionary<string, WireValue> fields, string name) => Optional(fields, name) is { } value
        ? (value.Kind == WireKind.Number ? value.Number : throw new RequestFieldException(name, $"{name} must be a number (got {value.KindName})"))
        : null;

    /// <summary>
    /// An integer; one written as a float without a fraction (<c>10.0</c>, what a Python or JavaScript client may send)
    /// is that integer, as a Python server reads it. A fraction is refused naming the field.
    /// </summary>
    private static long? OptionalInteger(IReadOnlyDictionary<string, WireValue> fields, string name) => Optional(fields, name) is { } value
        ? value switch
        {
            { Kind: WireKind.Number, Integer: { } integer } => integer,
            { Kind: WireKind.Number, Number: var n } when double.IsInteger(n) && n >= long.MinValue && n < 9.2233720368547758E18 => (long)n,
            _ => throw new RequestFieldException(name, $"{name} must be an integer (got {Describe(value)})"),
        }
        : null;

    private static bool? OptionalBool(IReadOnlyDictionary<string, WireValue> fields, string name) => Optional(fields, name) is { } value
        ? (value.Kind == WireKind.Bool ? value.Bool : throw new RequestFieldException(name, $"{name} must be true or false (got {value.KindName})"))
        : null;

    private static WireValue? Optional(IReadOnlyDictionary<string, WireValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Kind != WireKind.Null ? value : null;

    private static string Text(WireValue value, string name) =>
        value.Text ?? throw new RequestFieldException(name, $"{name} must be valid Unicode text: it contains an unpaired surrogate escape such as \\ud800");

    private static string Describe(WireValue value) => value.Kind == WireKind.Number ? Truncate(value.Description ?? "") : value.KindName;

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
