using VoxCpm.Engine.Text;

namespace VoxCpm.Engine.Generation;

/// <summary>Text → model input through the checkpoint's tokenizer (and the normalizer when asked).</summary>
internal sealed class TokenizerFrontEnd(VoxCpmTokenizer tokenizer) : ITextFrontEnd
{
    public TextInput BuildModelInput(string? promptText, string targetText, bool normalize)
    {
        var input = tokenizer.BuildModelInput(promptText, targetText, normalize);
        return new TextInput(Array.ConvertAll(input.Ids, id => (long)id), input.TargetTextLength);
    }
}
