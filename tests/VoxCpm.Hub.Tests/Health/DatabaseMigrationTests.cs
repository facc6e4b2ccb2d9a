using System.Net;
using Npgsql;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Health;

/// <summary>Nodes that start together on one fresh database: the schema, Hangfire's included, is installed once.</summary>
public sealed class DatabaseMigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Three_hubs_starting_together_on_a_fresh_database_all_get_ready_with_hangfire_and_history_tables()
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        var hubs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestHub.StartAsync(settings)));
        try
        {
            foreach (var hub in hubs)
            {
                var (code, report) = await Eventually.MatchesAsync(
                    () => ReadyReport.GetAsync(hub.Api, "/ready"),
                    result => result.Code == HttpStatusCode.OK || result.Report.Check("model").Description?.Contains("failed", StringComparison.Ordinal) == true);
                Assert.Equal(HttpStatusCode.OK, code);
                Assert.Equal("Healthy", report.Check("jobs").Status);
            }

            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name = 'job'"));
            Assert.True(await ScalarAsync("SELECT max(version) FROM hangfire.schema") >= 20);
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM hangfire.schema"));
            Assert.True(await ScalarAsync("SELECT count(*) FROM \"__EFMigrationsHistory\"") >= 1);
            Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM hangfire.server"));
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_database_that_does_not_exist_yet_is_created_by_the_first_hub()
    {
        var name = $"voxcpm_test_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            await using (var hub = await TestHub.StartAsync(TestSettings.With(connectionString, TinyFixtures.V05)))
            {
                var (_, report) = await Eventually.MatchesAsync(
                    () => ReadyReport.GetAsync(hub.Api, "/ready"),
                    result => result.Report.Check("database").Status == "Healthy" && result.Report.Check("jobs").Status == "Healthy");
                Assert.Equal("Healthy", report.Check("database").Status);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
