using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Data.EntityConfigurations;

/// <summary>
/// Stores an enum as its <see cref="EnumText"/> spelling (<c>NonStreaming</c> → <c>non_streaming</c>), so rows
/// read well in psql and match the wire protocol's spelling. Enum names are the single source; adding a member needs
/// no migration.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => EnumText.Of(value),
    text => FromText(text))
    where TEnum : struct, Enum
{
    private static TEnum FromText(string text) =>
        EnumText.TryParse<TEnum>(text, out var value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a stored {typeof(TEnum).Name} value.");
}
