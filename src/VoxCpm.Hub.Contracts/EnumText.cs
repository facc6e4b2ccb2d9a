using System.Reflection;
using System.Runtime.Serialization;
using System.Text;

namespace VoxCpm.Hub.Contracts;

/// <summary>
/// The one spelling of the contracts' enums as text, used by the database, the HTTP API and the wire alike: lower
/// snake case of the member's name (<c>NonStreaming</c> → <c>non_streaming</c>), or the member's
/// <see cref="EnumMemberAttribute.Value"/> where it names a shorter stored spelling (<c>RawWebSocket</c> → <c>raw_ws</c>).
/// </summary>
public static class EnumText
{
    /// <summary>Every spelling of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IReadOnlyCollection<string> Names<TEnum>()
        where TEnum : struct, Enum => Spellings<TEnum>.ToText.Values;

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Spellings<TEnum>.ToText[value];

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum => Spellings<TEnum>.FromText.TryGetValue(text ?? "", out value);

    private static string Spell<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return typeof(TEnum).GetField(name)?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? ToSnakeCase(name);
    }

    // A word starts at an upper-case letter followed by a lower-case one: NonStreaming → non_streaming, but
    // SignalR → signalr (a trailing capital does not start a word), which is how the protocol spells it.
    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && i + 1 < name.Length && char.IsLower(name[i + 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static class Spellings<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ToText = Enum.GetValues<TEnum>().ToDictionary(value => value, Spell);

        public static readonly Dictionary<string, TEnum> FromText = ToText.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
    }
}
