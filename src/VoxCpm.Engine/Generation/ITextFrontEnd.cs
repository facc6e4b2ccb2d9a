namespace VoxCpm.Engine.Generation;

/// <summary>Text → model input ids (model doc §2.1): cleanup, optional normalization, tokenization, audio_start.</summary>
internal interface ITextFrontEnd
{
    /// <summary>Ids of prompt text + target text with audio_start (101) appended, and the target's token count.</summary>
    TextInput BuildModelInput(string? promptText, string targetText, bool normalize);
}

internal readonly record struct TextInput(long[] Ids, int TargetTextLength);
