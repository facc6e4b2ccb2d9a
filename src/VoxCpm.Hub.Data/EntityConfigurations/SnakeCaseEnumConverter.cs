using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace VoxCpm.Hub.Data.EntityConfigurations;

/// <summary>
/// Stores an enum as lower snake case text (<c>NonStreaming</c> → <c>non_streaming</c>), so rows read well in psql
/// and match the wire protocol's spelling. Enum names are the single source; adding a member needs no migration.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => ToText(value),
    text => FromText(text))
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> s_toText =
        Enum.GetValues<TEnum>().ToDictionary(value => value, value => ToSnakeCase(value.ToString()));

    private static readonly Dictionary<string, TEnum> s_fromText =
        s_toText.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    private static string ToText(TEnum value) => s_toText[value];

    private static TEnum FromText(string text) =>
        s_fromText.TryGetValue(text, out var value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a stored {typeof(TEnum).Name} value.");

    // A word starts at an upper-case letter followed by a lower-case one: RawWs → raw_ws, but SignalR → signalr
    // (a trailing capital does not start a word), which is how the protocol spells it.
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
}
