using VoxCpm.Engine.Checkpoints;
using NativeTokenizer = Tokenizers.DotNet.Tokenizer;

namespace VoxCpm.Engine.Text;

/// <summary>
/// VoxCPM's text front-end over the checkpoint's <c>tokenizer.json</c>: the Hugging Face tokenizers core (through
/// Tokenizers.DotNet, so normalizer, BPE merges and byte fallback are the reference's own code) followed by
/// VoxCPM's wrapper: multi-character Chinese tokens split into single characters, no BOS/EOS, audio_start appended.
/// </summary>
/// <remarks>
/// The native <c>Encode</c> always runs the post-processor, which for VoxCPM's tokenizer prepends <c>&lt;s&gt;</c>;
/// HF's <c>tokenize()</c> (what VoxCPM calls) never does, so exactly the template's ids are removed — a <c>&lt;s&gt;</c>
/// written in the text itself is a genuine token and stays.
/// </remarks>
internal sealed class VoxCpmTokenizer : IDisposable
{
    /// <summary>VoxCPM hard-codes this id (it is not looked up by string).</summary>
    public const int AudioStartId = 101;

    private const char SpaceMarker = '\u2581';

    private readonly NativeTokenizer _native;
    private readonly TokenizerDefinition _definition;
    private readonly HashSet<string> _multiCharChinese;
    private readonly string _path;

    private VoxCpmTokenizer(string path, NativeTokenizer native, TokenizerDefinition definition)
    {
        _path = path;
        _native = native;
        _definition = definition;
        _multiCharChinese = new HashSet<string>(definition.IdsByToken.Keys.Where(IsMultiCharChinese), StringComparer.Ordinal);
    }

    public int VocabularySize => _definition.TokensById.Length;

    /// <summary>Loads <c>tokenizer.json</c> (a file path, or a checkpoint directory holding it).</summary>
    public static VoxCpmTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "tokenizer.json");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("tokenizer.json not found.", path);
        }

        TokenizerDefinition definition = TokenizerDefinition.Load(path);
        NativeTokenizer native;
        try
        {
            native = new NativeTokenizer(path);
        }
        catch (Tokenizers.DotNet.TokenizerException e)
        {
            throw new CheckpointFormatException($"{Path.GetFileName(path)}: the Hugging Face tokenizers core refused it ({e.Message}).", e);
        }

        return new VoxCpmTokenizer(path, native, definition);
    }

    /// <summary>Tokens exactly as HF <c>tokenizer.tokenize(text)</c> returns them (no special tokens added).</summary>
    public TextTokens TokenizeRaw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint[] encoded = _native.Encode(text);
        ReadOnlySpan<uint> body = StripPostProcessorIds(encoded);
        var tokens = new string[body.Length];
        var ids = new int[body.Length];
        for (int i = 0; i < body.Length; i++)
        {
            ids[i] = checked((int)body[i]);
            tokens[i] = _definition.TokensById[ids[i]];
        }

        return new TextTokens(tokens, ids);
    }

    /// <summary>VoxCPM's <c>text_tokenizer(text)</c>: raw tokens, multi-character Chinese split, ids (unknown → unk).</summary>
    public TextTokens Tokenize(string text)
    {
        TextTokens raw = TokenizeRaw(text);
        var tokens = new List<string>(raw.Tokens.Count + 8);
        var ids = new List<int>(raw.Tokens.Count + 8);
        for (int i = 0; i < raw.Tokens.Count; i++)
        {
            string token = raw.Tokens[i];
            string clean = token.Replace(SpaceMarker.ToString(), "", StringComparison.Ordinal);
            if (!_multiCharChinese.Contains(clean))
            {
                tokens.Add(token);
                ids.Add(raw.Ids[i]);
                continue;
            }

            foreach (char c in clean)
            {
                string single = c.ToString();
                tokens.Add(single);
                ids.Add(_definition.IdsByToken.TryGetValue(single, out int id) ? id : _definition.UnknownId);
            }
        }

        return new TextTokens(tokens, [.. ids]);
    }

    /// <summary>
    /// The model's text input: ids of <paramref name="promptText"/> + the whitespace-cleaned (and, with
    /// <paramref name="normalize"/>, normalized) <paramref name="targetText"/>, no separator, then
    /// <see cref="AudioStartId"/>. The order — cleanup, normalize, concatenate — is the official one.
    /// </summary>
    public ModelTextInput BuildModelInput(string? promptText, string targetText, bool normalize = false)
    {
        string target = TargetTextCleanup.CollapseWhitespace(targetText);
        if (normalize)
        {
            target = TextNormalizer.Normalize(target);
        }

        int[] all = Tokenize((promptText ?? "") + target).Ids;
        int targetLength = Tokenize(target).Ids.Length;
        int[] ids = new int[all.Length + 1];
        all.CopyTo(ids, 0);
        ids[^1] = AudioStartId;
        return new ModelTextInput(ids, targetLength);
    }

    public void Dispose() => _native.Dispose();

    private ReadOnlySpan<uint> StripPostProcessorIds(uint[] encoded)
    {
        int[] prefix = _definition.PostProcessorPrefix;
        int[] suffix = _definition.PostProcessorSuffix;
        if (encoded.Length < prefix.Length + suffix.Length || !Matches(encoded.AsSpan(0, prefix.Length), prefix)
            || !Matches(encoded.AsSpan(encoded.Length - suffix.Length), suffix))
        {
            throw new InvalidOperationException($"{Path.GetFileName(_path)}: the encoding does not carry the post-processor's special ids [{string.Join(", ", prefix)}] … [{string.Join(", ", suffix)}]; the native tokenizer does not behave as expected.");
        }

        return encoded.AsSpan(prefix.Length, encoded.Length - prefix.Length - suffix.Length);
    }

    private static bool Matches(ReadOnlySpan<uint> actual, int[] expected)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i] != (uint)expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMultiCharChinese(string token)
    {
        if (token.Length < 2)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (c is < '\u4E00' or > '\u9FFF')
            {
                return false;
            }
        }

        return true;
    }
}
