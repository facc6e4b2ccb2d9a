using System.Globalization;

namespace VoxCpm.Engine.Cli;

/// <summary>Positional arguments and <c>--name value</c> pairs.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _named = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value");
                }

                o._named[args[i][2..]] = args[++i];
            }
            else
            {
                o.Positional.Add(args[i]);
            }
        }

        return o;
    }

    public string? Get(string name) => _named.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) =>
        Get(name) is { } v ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException($"--{name} must be an integer (got '{v}')") : fallback;

    public string Positional0(string what) => Positional.Count > 0 ? Positional[0] : throw new ArgumentException($"{what} is required");
}
