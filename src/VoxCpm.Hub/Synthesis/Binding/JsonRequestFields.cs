using System.Text.Json;

namespace VoxCpm.Hub.Synthesis.Binding;

/// <summary>Reads a JSON object's fields as <see cref="WireValue"/>s for <see cref="SynthesisRequestBinder"/> (raw <c>/tts</c> params, SignalR JSON, the bodies of <c>POST /api/tts</c> and <c>/api/jobs</c>).</summary>
internal static class JsonRequestFields
{
    /// <summary>The object's fields; with duplicate names the last wins, as with System.Text.Json's own binding.</summary>
    public static Dictionary<string, WireValue> Read(JsonElement obj)
    {
        var fields = new Dictionary<string, WireValue>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            fields[property.Name] = Value(property.Value);
        }

        return fields;
    }

    public static WireValue Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => WireValue.Null,
        JsonValueKind.String => TryText(value) is { } text ? WireValue.OfString(text) : WireValue.InvalidText,
        JsonValueKind.True => WireValue.OfBool(true),
        JsonValueKind.False => WireValue.OfBool(false),
        JsonValueKind.Number => value.TryGetInt64(out var integer)
            ? WireValue.OfInteger(integer) with { Description = value.GetRawText() }
            // Beyond double's range (1e400) the number is NaN: no field accepts it, and the message shows it as written.
            : WireValue.OfNumber(value.TryGetDouble(out var number) ? number : double.NaN, value.GetRawText()),
        _ => WireValue.OfOther(value.ValueKind.ToString().ToLowerInvariant()),
    };

    // JSON may escape half a surrogate pair (\ud800); such a string has no UTF-16 form, and GetString throws.
    private static string? TryText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
