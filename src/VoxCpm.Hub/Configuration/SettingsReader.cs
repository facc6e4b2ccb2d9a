using System.Globalization;
using System.Net;

namespace VoxCpm.Hub.Configuration;

/// <summary>
/// Reads TTS_* settings from configuration (environment, .env, tests' in-memory values) and parses them. A value
/// that does not parse yields the default and one error naming the variable, the allowed values and what it got,
/// e.g. <c>TTS_PORT must be an integer in 1..65535 (got 'abc')</c>. An empty value counts as unset.
/// </summary>
internal sealed class SettingsReader(IConfiguration configuration)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public string String(string name, string defaultValue) => Raw(name) ?? defaultValue;

    public string? OptionalString(string name) => Raw(name);

    public int Int(string name, int defaultValue, int min, int max)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max)
        {
            return value;
        }

        return Fail(name, $"an integer in {min}..{max}", raw, defaultValue);
    }

    public bool Bool(string name, bool defaultValue)
    {
        var raw = Raw(name);
        return raw?.ToUpperInvariant() switch
        {
            null => defaultValue,
            "TRUE" or "1" or "YES" or "ON" => true,
            "FALSE" or "0" or "NO" or "OFF" => false,
            _ => Fail(name, "true or false", raw, defaultValue),
        };
    }

    /// <summary>Matches the value case-insensitively against <paramref name="choices"/>' keys.</summary>
    public T Choice<T>(string name, T defaultValue, IReadOnlyDictionary<string, T> choices)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return defaultValue;
        }

        foreach (var (spelling, value) in choices)
        {
            if (string.Equals(spelling, raw, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return Fail(name, $"one of {string.Join(", ", choices.Keys)}", raw, defaultValue);
    }

    /// <summary>An IP address to listen on, or <c>localhost</c>.</summary>
    public string ListenAddress(string name, string defaultValue)
    {
        var raw = Raw(name);
        if (raw is null || raw.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(raw, out _))
        {
            return raw ?? defaultValue;
        }

        return Fail(name, "an IP address such as 0.0.0.0, 127.0.0.1 or ::, or localhost", raw, defaultValue);
    }

    /// <summary>Records an error that is not about one value's syntax, such as two settings that conflict.</summary>
    public void Report(string error) => _errors.Add(error);

    /// <summary>Reports <paramref name="error"/> unless <paramref name="condition"/> holds.</summary>
    public void Check(bool condition, string error)
    {
        if (!condition)
        {
            Report(error);
        }
    }

    private T Fail<T>(string name, string expected, string raw, T defaultValue)
    {
        _errors.Add($"{name} must be {expected} (got '{raw}')");
        return defaultValue;
    }

    private string? Raw(string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
