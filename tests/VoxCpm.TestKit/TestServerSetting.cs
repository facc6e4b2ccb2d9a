namespace VoxCpm.TestKit;

/// <summary>
/// Where a test server the repo's scripts start is found: the environment variable (scripts/test.sh exports it), or
/// else the <c>.data/{folder}/connection.env</c> its setup script wrote beside the checkout, so `dotnet test` works
/// after that script alone. No server is a failure with the fix in the message, never a skipped test.
/// </summary>
internal static class TestServerSetting
{
    public static string Find(string variableName, string dataFolder, string missingMessage)
    {
        if (Environment.GetEnvironmentVariable(variableName) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var file = Path.Combine(directory.FullName, ".data", dataFolder, "connection.env");
            if (File.Exists(file) && ReadVariable(file, variableName) is { } fromFile)
            {
                return fromFile;
            }
        }

        throw new InvalidOperationException(missingMessage);
    }

    private static string? ReadVariable(string file, string variableName) =>
        File.ReadLines(file)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(variableName + "=", StringComparison.Ordinal))
            .Select(line => line[(variableName.Length + 1)..].Trim('\'', '"'))
            .FirstOrDefault();
}
