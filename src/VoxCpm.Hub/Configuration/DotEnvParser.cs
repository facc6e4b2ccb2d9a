namespace VoxCpm.Hub.Configuration;

/// <summary>
/// Parses the <c>.env</c> format used by docker compose and most dotenv tools: <c>KEY=value</c> lines, an optional
/// <c>export </c> prefix, <c>#</c> comments on their own line or after a value, and values in single or double
/// quotes (kept verbatim, so a quoted value may contain <c>#</c>). Lines that are none of these are reported, not
/// skipped, so a typo in .env does not silently fall back to a default.
/// </summary>
internal static class DotEnvParser
{
    public static (Dictionary<string, string?> Values, List<string> Errors) Parse(IEnumerable<string> lines, string fileName)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in lines)
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : string.Empty;
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                errors.Add($"{fileName} line {lineNumber} is not KEY=value: '{rawLine}'");
                continue;
            }

            var value = ParseValue(line[(equals + 1)..].Trim());
            if (value is null)
            {
                errors.Add($"{fileName} line {lineNumber}: the quote in the value of {key} is not closed");
                continue;
            }

            values[key] = value;
        }

        return (values, errors);
    }

    private static string? ParseValue(string text)
    {
        if (text.Length > 0 && text[0] is '"' or '\'')
        {
            var close = text.IndexOf(text[0], 1);
            return close < 0 ? null : text[1..close];
        }

        // An unquoted value ends at a comment that is preceded by whitespace: KEY=value # why.
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return (comment < 0 ? text : text[..comment]).TrimEnd();
    }
}
