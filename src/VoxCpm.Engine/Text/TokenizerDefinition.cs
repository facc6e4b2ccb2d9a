using System.Text.Json;
using VoxCpm.Engine.Checkpoints;

namespace VoxCpm.Engine.Text;

/// <summary>
/// What VoxCPM needs from <c>tokenizer.json</c> besides the BPE itself: the id ↔ token-string tables (the native
/// tokenizer returns ids only, the multi-character Chinese split needs strings) and the special ids the
/// post-processor wraps every encoding in (HF <c>tokenize()</c> never adds them, so they are removed again).
/// </summary>
internal sealed class TokenizerDefinition
{
    private TokenizerDefinition(string[] tokensById, Dictionary<string, int> idsByToken, int unknownId, int[] prefixIds, int[] suffixIds)
    {
        TokensById = tokensById;
        IdsByToken = idsByToken;
        UnknownId = unknownId;
        PostProcessorPrefix = prefixIds;
        PostProcessorSuffix = suffixIds;
    }

    /// <summary>Token string of every id (null entries never occur: gaps are refused at load).</summary>
    public string[] TokensById { get; }

    public Dictionary<string, int> IdsByToken { get; }

    public int UnknownId { get; }

    /// <summary>Ids the post-processor puts before the sequence of a single input (e.g. <c>&lt;s&gt;</c>).</summary>
    public int[] PostProcessorPrefix { get; }

    /// <summary>Ids the post-processor puts after the sequence of a single input.</summary>
    public int[] PostProcessorSuffix { get; }

    public static TokenizerDefinition Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = json.RootElement;
        if (!root.TryGetProperty("model", out JsonElement model) || !model.TryGetProperty("vocab", out JsonElement vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(path, "no model.vocab object (only BPE/WordPiece-style vocabularies are supported)");
        }

        var idsByToken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in vocab.EnumerateObject())
        {
            idsByToken[entry.Name] = entry.Value.GetInt32();
        }

        if (root.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement token in added.EnumerateArray())
            {
                idsByToken[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
            }
        }

        string[] tokensById = BuildReverseTable(path, idsByToken);
        string unknown = model.TryGetProperty("unk_token", out JsonElement unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString()! : "<unk>";
        if (!idsByToken.TryGetValue(unknown, out int unknownId))
        {
            throw new CheckpointFormatException(path, $"the unknown token '{unknown}' is not in the vocabulary");
        }

        (int[] prefix, int[] suffix) = ReadPostProcessor(path, root);
        return new TokenizerDefinition(tokensById, idsByToken, unknownId, prefix, suffix);
    }

    private static string[] BuildReverseTable(string path, Dictionary<string, int> idsByToken)
    {
        int count = idsByToken.Count == 0 ? 0 : idsByToken.Values.Max() + 1;
        var tokens = new string?[count];
        foreach ((string token, int id) in idsByToken)
        {
            if (id < 0 || tokens[id] is not null)
            {
                throw new CheckpointFormatException(path, $"token id {id} is negative or used twice");
            }

            tokens[id] = token;
        }

        int gap = Array.IndexOf(tokens, null);
        if (gap >= 0)
        {
            throw new CheckpointFormatException(path, $"token id {gap} has no token string");
        }

        return tokens!;
    }

    private static (int[] Prefix, int[] Suffix) ReadPostProcessor(string path, JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out JsonElement processor) || processor.ValueKind == JsonValueKind.Null)
        {
            return ([], []);
        }

        string type = processor.GetProperty("type").GetString() ?? "";
        if (type == "ByteLevel")
        {
            return ([], []);
        }

        if (type != "TemplateProcessing")
        {
            throw new CheckpointFormatException(path, $"post_processor '{type}' is not supported (TemplateProcessing, ByteLevel or none)");
        }

        var prefix = new List<int>();
        var suffix = new List<int>();
        bool seenSequence = false;
        foreach (JsonElement piece in processor.GetProperty("single").EnumerateArray())
        {
            if (piece.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }

            string special = piece.GetProperty("SpecialToken").GetProperty("id").GetString()!;
            JsonElement ids = processor.GetProperty("special_tokens").GetProperty(special).GetProperty("ids");
            foreach (JsonElement id in ids.EnumerateArray())
            {
                (seenSequence ? suffix : prefix).Add(id.GetInt32());
            }
        }

        return ([.. prefix], [.. suffix]);
    }
}
