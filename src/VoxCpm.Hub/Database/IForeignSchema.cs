using Npgsql;

namespace VoxCpm.Hub.Database;

/// <summary>
/// A schema that is not ours (no EF migration creates it) but lives in our database, such as Hangfire's. The
/// <see cref="DatabaseMigrator"/> installs each registered one under its lock, before our migrations; the feature that
/// owns the schema registers it, so the database layer does not depend on that feature.
/// </summary>
internal interface IForeignSchema
{
    /// <summary>Creates or upgrades the schema; a no-op when it is current. Gets an open connection.</summary>
    void Install(NpgsqlConnection connection);
}
