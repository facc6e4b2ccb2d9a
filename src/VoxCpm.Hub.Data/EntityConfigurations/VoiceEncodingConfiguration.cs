using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VoxCpm.Hub.Data.Entities;

namespace VoxCpm.Hub.Data.EntityConfigurations;

internal sealed class VoiceEncodingConfiguration : IEntityTypeConfiguration<VoiceEncoding>
{
    public const int ModelIdMaxLength = 256;

    public void Configure(EntityTypeBuilder<VoiceEncoding> builder)
    {
        builder.ToTable("voice_encodings");
        builder.HasKey(e => new { e.VoiceId, e.ModelId });
        builder.Property(e => e.ModelId).HasMaxLength(ModelIdMaxLength);
    }
}
