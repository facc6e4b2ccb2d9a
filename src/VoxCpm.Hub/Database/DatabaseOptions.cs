using Npgsql;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Database;

/// <summary>TTS_DB_CONNECTION: the Npgsql connection string of the hub's PostgreSQL database.</summary>
internal sealed class DatabaseOptions : IBindsSettings<DatabaseOptions>
{
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Host, port and database, without credentials: safe for logs.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public static void Bind(SettingsReader settings, DatabaseOptions options)
    {
        options.ConnectionString = settings.OptionalString(SettingNames.DbConnection) ?? string.Empty;
        if (options.ConnectionString.Length == 0)
        {
            settings.Report($"{SettingNames.DbConnection} must be set to an Npgsql connection string such as " +
                "'Host=127.0.0.1;Port=55432;Database=voxcpm;Username=voxcpm;Password=...' " +
                "(scripts/setup-postgres.sh starts a local PostgreSQL and prints one)");
            return;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            settings.Check(!string.IsNullOrEmpty(builder.Host), $"{SettingNames.DbConnection} must name a Host");
        }
        catch (ArgumentException ex)
        {
            // The value may hold a password, so the message names the problem, never the value.
            settings.Report($"{SettingNames.DbConnection} is not a valid Npgsql connection string: {ex.Message}");
        }
    }
}
