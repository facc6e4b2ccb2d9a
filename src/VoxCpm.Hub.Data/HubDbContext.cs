using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Data.Entities;

namespace VoxCpm.Hub.Data;

/// <summary>
/// The hub's own tables (schema <c>public</c>). Hangfire keeps its tables in its own schema, <c>hangfire</c>,
/// created by Hangfire.PostgreSql, so the two never share a migration history.
/// </summary>
public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
    public DbSet<SynthesisRecord> Syntheses => Set<SynthesisRecord>();

    public DbSet<Voice> Voices => Set<Voice>();

    public DbSet<VoiceEncoding> VoiceEncodings => Set<VoiceEncoding>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
}
