namespace VoxCpm.Engine.Text;

/// <summary>Token strings and their ids, index for index (after VoxCPM's multi-character Chinese split).</summary>
internal sealed record TextTokens(IReadOnlyList<string> Tokens, int[] Ids);

/// <summary>
/// The text part of the model input: ids of <c>prompt_text + target_text</c> followed by audio_start (101), and the
/// number of tokens of the target text alone (drives the length caps).
/// </summary>
internal sealed record ModelTextInput(int[] Ids, int TargetTextLength);
