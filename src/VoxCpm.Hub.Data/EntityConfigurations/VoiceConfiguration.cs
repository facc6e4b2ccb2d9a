using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VoxCpm.Hub.Data.Entities;

namespace VoxCpm.Hub.Data.EntityConfigurations;

internal sealed class VoiceConfiguration : IEntityTypeConfiguration<Voice>
{
    public const int NameMaxLength = 100;

    public void Configure(EntityTypeBuilder<Voice> builder)
    {
        builder.ToTable("voices");
        builder.HasKey(v => v.Id);

        builder.Property(v => v.Name).HasMaxLength(NameMaxLength);
        builder.HasIndex(v => v.Name).IsUnique();
        builder.HasMany(v => v.Encodings).WithOne().HasForeignKey(e => e.VoiceId).OnDelete(DeleteBehavior.Cascade);
    }
}
