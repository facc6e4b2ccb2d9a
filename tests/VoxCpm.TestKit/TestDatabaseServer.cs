namespace VoxCpm.TestKit;

/// <summary>
/// The PostgreSQL server the tests may create databases on: <c>VOXCPM_TEST_DB</c> (scripts/test.sh exports it), or
/// else the one scripts/setup-postgres.sh wrote to .data/postgres/connection.env, so `dotnet test` works after
/// that script alone. No server is a failure with the fix in the message, never a skipped test.
/// </summary>
public static class TestDatabaseServer
{
    public const string VariableName = "VOXCPM_TEST_DB";

    private static readonly Lazy<string> s_connectionString = new(Find);

    public static string ConnectionString => s_connectionString.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var file = Path.Combine(directory.FullName, ".data", "postgres", "connection.env");
            if (File.Exists(file) && ReadVariable(file) is { } fromFile)
            {
                return fromFile;
            }
        }

        throw new InvalidOperationException(
            $"No test PostgreSQL: set {VariableName} to a connection string of a server where the user may create " +
            "databases, or run scripts/setup-postgres.sh (scripts/test.sh does both).");
    }

    private static string? ReadVariable(string file) =>
        File.ReadLines(file)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(VariableName + "=", StringComparison.Ordinal))
            .Select(line => line[(VariableName.Length + 1)..].Trim('\'', '"'))
            .FirstOrDefault();
}
