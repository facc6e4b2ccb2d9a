using System.Globalization;

namespace VoxCpm.Hub.LlmSpeech;

internal sealed record LlmOptions(Uri Url, string Text, double WordsPerSecond, long Seed, string? Output, bool Compare)
{
    private const string DefaultText = "Sure, here is the plan for today. First we check the weather, then we decide where to walk. If it rains, we stay in and read a good book instead.";

    public static LlmOptions Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new LlmOptions(
            new Uri(Value("--url") ?? "http://127.0.0.1:9300"),
            Value("--text") ?? DefaultText,
            double.Parse(Value("--words-per-second") ?? "12", CultureInfo.InvariantCulture),
            long.Parse(Value("--seed") ?? "7", CultureInfo.InvariantCulture),
            Value("--out"),
            args.Contains("--compare"));
    }
}
