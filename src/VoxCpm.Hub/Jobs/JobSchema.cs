using Hangfire.PostgreSql;
using Npgsql;
using VoxCpm.Hub.Database;

namespace VoxCpm.Hub.Jobs;

/// <summary>Hangfire's tables, in their own PostgreSQL schema beside ours; installed by the database migrator.</summary>
internal sealed class JobSchema : IForeignSchema
{
    public const string Name = "hangfire";

    public void Install(NpgsqlConnection connection) => PostgreSqlObjectsInstaller.Install(connection, Name);
}
