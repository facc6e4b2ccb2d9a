using Hangfire.PostgreSql;
using Npgsql;

namespace VoxCpm.Hub.Jobs;

/// <summary>Hangfire's tables, in their own PostgreSQL schema beside ours; installed by the database migrator.</summary>
internal static class JobSchema
{
    public const string Name = "hangfire";

    /// <summary>Creates or upgrades Hangfire's schema; a no-op when it is current. Needs an open connection.</summary>
    public static void Install(NpgsqlConnection connection) => PostgreSqlObjectsInstaller.Install(connection, Name);
}
