using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VoxCpm.Hub.Tests.RawTts.Fuzz;

/// <summary>
/// The fuzz corpus: the checked-in files under <c>corpus/</c> (one client text message each), plus cases generated
/// from a fixed seed, so every run replays exactly the same inputs.
/// </summary>
public static class FuzzCorpus
{
    private const int Seed = 20261125;
    private const int MaxFrame = 64 * 1024;
    private const string ValidRequest = "{\"type\":\"tts_request\",\"request_id\":\"fz\",\"params\":{\"text\":\"Fuzz me.\",\"cfg_value\":2.0,\"inference_timesteps\":4,\"seed\":7,\"mode\":\"streaming\"}}";

    private static readonly Dictionary<string, object?[]> WrongTypes = new()
    {
        ["text"] = [5, true, new[] { "a" }, new { a = 1 }],
        ["mode"] = [5, false, new[] { "streaming" }, new { }],
        ["prompt_wav_url"] = [5, true, new[] { "http://x" }, new { }],
        ["prompt_text"] = [5, true, new[] { "a" }, new { }],
        ["voice_id"] = [5, true, new[] { "a" }, new { }],
        ["cfg_value"] = ["2", true, new[] { 2 }, new { }],
        ["inference_timesteps"] = ["10", true, 10.5, new[] { 10 }, new { }],
        ["normalize"] = [1, "true", new[] { true }, new { }],
        ["denoise"] = [0, "false", new[] { false }, new { }],
        ["retry_badcase"] = [1, "yes", new[] { true }, new { }],
        ["seed"] = ["7", 7.5, true, new[] { 7 }, new { }],
    };

    public static IReadOnlyList<FuzzCase> All { get; } = [.. Files(), .. Generated()];

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static FuzzCase Get(string name) => All.Single(c => c.Name == name);

    private static IEnumerable<FuzzCase> Files() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "RawTts", "Fuzz", "corpus"), "*.txt")
            .Order(StringComparer.Ordinal)
            .Select(path => FuzzCase.Bytes("file:" + Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path)));

    private static IEnumerable<FuzzCase> Generated()
    {
        foreach (var (field, values) in WrongTypes)
        {
            foreach (var value in values)
            {
                var parameters = new Dictionary<string, object?> { ["text"] = "hi", [field] = value };
                var json = JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = "tts_request", ["request_id"] = "wt", ["params"] = parameters });
                yield return FuzzCase.Text($"wrong-type:{field}={JsonSerializer.Serialize(value)}", json);
            }
        }

        foreach (var value in new object?[] { 5, true, new[] { "a" }, new { } })
        {
            yield return FuzzCase.Text($"wrong-type:request_id={JsonSerializer.Serialize(value)}", JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = "tts_request", ["request_id"] = value, ["params"] = new { text = "hi" } }));
            yield return FuzzCase.Text($"wrong-type:type={JsonSerializer.Serialize(value)}", JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = value }));
        }

        // NUL and control bytes raw inside the JSON (invalid JSON), and invalid UTF-8, which the WebSocket layer may
        // refuse itself (1007).
        yield return FuzzCase.Bytes("raw:nul-only", [0]);
        yield return FuzzCase.Bytes("raw:nul-in-string", Encoding.UTF8.GetBytes("{\"type\":\"tts_request\",\"params\":{\"text\":\"a\0b\"}}"));
        yield return FuzzCase.Bytes("raw:controls-in-string", Encoding.UTF8.GetBytes("{\"type\":\"tts_request\",\"params\":{\"text\":\"a\u0001\u001f\tb\r\n\"}}"));
        yield return FuzzCase.Bytes("raw:invalid-utf8", [.. "{\"type\":\"tts_request\",\"params\":{\"text\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}}"u8], WebSocketCloseStatus.InvalidPayloadData);
        yield return FuzzCase.Bytes("raw:overlong-utf8", [.. "{\"type\":\"ping\",\"timestamp\":\""u8, 0xC0, 0xAF, .. "\"}"u8], WebSocketCloseStatus.InvalidPayloadData);

        foreach (var depth in new[] { 17, 100, 20_000 })
        {
            yield return FuzzCase.Text($"nesting:arrays-{depth}", new string('[', depth) + new string(']', depth));
            yield return FuzzCase.Text($"nesting:params-{depth}", "{\"type\":\"tts_request\",\"params\":{\"text\":\"hi\",\"x\":" + new string('[', depth) + new string(']', depth) + "}}");
        }

        yield return FuzzCase.Text("huge:text-over-limit", Request(new string('a', ReadyHubFixture.MaxTextLength + 1)));
        yield return FuzzCase.Text("huge:text-60k", Request(new string('汉', 20_000)));
        yield return FuzzCase.Text("huge:request-id-10k", "{\"type\":\"tts_request\",\"request_id\":\"" + new string('r', 10_000) + "\",\"params\":{\"text\":\"hi\"}}");
        yield return FuzzCase.Text("huge:many-fields", "{\"type\":\"tts_request\",\"params\":{\"text\":\"hi\"" + string.Concat(Enumerable.Range(0, 5000).Select(i => $",\"f{i}\":1")) + "}}");
        yield return FuzzCase.Bytes("huge:frame-over-64k", Encoding.UTF8.GetBytes(Request(new string('a', MaxFrame))), WebSocketCloseStatus.MessageTooBig);
        yield return FuzzCase.Bytes("huge:frame-1m", new byte[1024 * 1024], WebSocketCloseStatus.MessageTooBig);

        var random = new Random(Seed);
        yield return FuzzCase.Binary("binary:1-byte", [1]);
        yield return FuzzCase.Binary("binary:4k-random", RandomBytes(random, 4096));
        yield return FuzzCase.Binary("binary:valid-json-as-binary", Encoding.UTF8.GetBytes(ValidRequest));
        yield return FuzzCase.Binary("binary:70k", RandomBytes(random, 70 * 1024));

        for (var i = 0; i < 40; i++)
        {
            yield return FuzzCase.Bytes($"mutation:{i:00}", Mutate(random, Encoding.UTF8.GetBytes(ValidRequest)), WebSocketCloseStatus.InvalidPayloadData);
        }

        for (var i = 0; i < 10; i++)
        {
            yield return FuzzCase.Bytes($"random-bytes:{i:00}", RandomBytes(random, random.Next(1, 512)), WebSocketCloseStatus.InvalidPayloadData);
        }
    }

    // Built by hand: the serializer would escape every non-ASCII character to six bytes.
    private static string Request(string text) => "{\"type\":\"tts_request\",\"request_id\":\"big\",\"params\":{\"text\":\"" + text + "\"}}";

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One to four edits of a valid request: delete, insert or replace a byte with JSON punctuation, a control byte or noise.</summary>
    private static byte[] Mutate(Random random, byte[] valid)
    {
        byte[] alphabet = [.. "{}[]\":,\\0123456789-eE.ntfalsu "u8, 0, 1, 0x1f, 0x7f, 0x80, 0xff];
        var bytes = valid.ToList();
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0 when bytes.Count > 1:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                default:
                    bytes[at] = alphabet[random.Next(alphabet.Length)];
                    break;
            }
        }

        return [.. bytes];
    }
}
