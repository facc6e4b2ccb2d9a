namespace VoxCpm.TestKit;

/// <summary>
/// The PostgreSQL server the tests may create databases on: <c>VOXCPM_TEST_DB</c>, or the one
/// scripts/setup-postgres.sh wrote to .data/postgres/connection.env (see <see cref="TestServerSetting"/>).
/// </summary>
public static class TestDatabaseServer
{
    public const string VariableName = "VOXCPM_TEST_DB";

    private static readonly Lazy<string> s_connectionString = new(() => TestServerSetting.Find(
        VariableName,
        "postgres",
        $"No test PostgreSQL: set {VariableName} to a connection string of a server where the user may create " +
        "databases, or run scripts/setup-postgres.sh (scripts/test.sh does both)."));

    public static string ConnectionString => s_connectionString.Value;
}
