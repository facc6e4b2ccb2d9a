using Npgsql;
using Xunit;

namespace VoxCpm.TestKit;

/// <summary>
/// A fresh, empty, uniquely named database for one test class (use it as an <c>IClassFixture</c>), dropped when
/// the class is done, so test classes can run in parallel without seeing each other's rows.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = $"voxcpm_test_{Guid.NewGuid():N}";

    /// <summary>The connection string of this test database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabaseServer.ConnectionString);
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Name }.ConnectionString;
        await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"");
    }

    public async Task DisposeAsync()
    {
        // Pooled connections of the test's own code would block the drop; FORCE ends them (PostgreSQL 13+).
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabaseServer.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().DefaultTimeout();
    }
}
