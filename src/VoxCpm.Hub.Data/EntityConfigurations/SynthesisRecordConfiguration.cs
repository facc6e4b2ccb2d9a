using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Data.Entities;

namespace VoxCpm.Hub.Data.EntityConfigurations;

internal sealed class SynthesisRecordConfiguration : IEntityTypeConfiguration<SynthesisRecord>
{
    /// <summary>Client-chosen ids longer than this are rejected by the request validator before they get here.</summary>
    public const int RequestIdMaxLength = 128;

    public const int PromptWavUrlMaxLength = 2048;

    public const int JobIdMaxLength = 64;

    public void Configure(EntityTypeBuilder<SynthesisRecord> builder)
    {
        builder.ToTable("syntheses");
        builder.HasKey(s => s.Id);

        builder.Property(s => s.RequestId).HasMaxLength(RequestIdMaxLength);
        builder.Property(s => s.Mode).HasEnumText();
        builder.Property(s => s.EntryPoint).HasEnumText();
        builder.Property(s => s.Status).HasEnumText();
        builder.Property(s => s.ErrorCode).HasMaxLength(64);
        builder.Property(s => s.Client).HasMaxLength(256);
        builder.Property(s => s.PromptWavUrl).HasMaxLength(PromptWavUrlMaxLength);
        builder.Property(s => s.ReferenceWavUrl).HasMaxLength(PromptWavUrlMaxLength);
        builder.Property(s => s.VoiceDescription).HasMaxLength(SynthesisDefaults.MaxVoiceDescriptionLength);
        builder.Property(s => s.JobId).HasMaxLength(JobIdMaxLength);

        builder.HasOne(s => s.Voice)
            .WithMany(v => v.Syntheses)
            .HasForeignKey(s => s.VoiceId)
            .OnDelete(DeleteBehavior.SetNull);

        // The history lists newest first; operators look requests up by the client's id.
        builder.HasIndex(s => s.CreatedAt).IsDescending();
        builder.HasIndex(s => s.RequestId);
        builder.HasIndex(s => s.Status);
        builder.HasIndex(s => s.JobId);
    }
}
