using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VoxCpm.Hub.Data.EntityConfigurations;

internal static class PropertyBuilderExtensions
{
    /// <summary>Room for any future member's name, so adding one needs no column change.</summary>
    public const int EnumTextMaxLength = 32;

    /// <summary>Stores the enum as snake case text; see <see cref="SnakeCaseEnumConverter{TEnum}"/>.</summary>
    public static PropertyBuilder<TEnum> HasEnumText<TEnum>(this PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property
            .HasConversion(new SnakeCaseEnumConverter<TEnum>())
            .HasMaxLength(EnumTextMaxLength);
}
